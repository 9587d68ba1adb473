package rrunner.worker.sandbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;

/**
 * Counts workspace entries left out of results, by kind: a rise in symlinks or devices shows scripts probing the
 * sandbox, a rise in oversize or over-count shows limits users keep running into. All kinds are registered up
 * front, so each series exists (at zero) before its first occurrence.
 */
final class ArtifactMetrics {

    static final String SKIPPED = "rrunner.artifacts.skipped";

    private final Map<SkippedEntry, Counter> counters = new EnumMap<>(SkippedEntry.class);

    ArtifactMetrics(MeterRegistry registry) {
        for (SkippedEntry kind : SkippedEntry.values()) {
            counters.put(kind, Counter.builder(SKIPPED)
                    .description("Workspace entries not returned as artifacts")
                    .tag("kind", kind.tag())
                    .register(registry));
        }
    }

    void record(Map<SkippedEntry, Integer> skipped) {
        skipped.forEach((kind, count) -> counters.get(kind).increment(count));
    }
}
