package rrunner.worker.sandbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;

/**
 * Counts workspace entries left out of results, by kind: a rise in symlinks or devices shows scripts probing the
 * sandbox, a rise in oversize or over-count shows limits users keep running into. All kinds are registered up
 * front, so each series exists (at zero) before its first occurrence. Also counts how finished scripts' workspaces
 * were collected: read as an archive, or found unchanged ({@link WorkspaceStamps}) and not read.
 */
final class ArtifactMetrics {

    static final String SKIPPED = "rrunner.artifacts.skipped";
    static final String COLLECTIONS = "rrunner.workspace.collections";

    private final Map<SkippedEntry, Counter> counters = new EnumMap<>(SkippedEntry.class);
    private final Counter read;
    private final Counter unchanged;

    ArtifactMetrics(MeterRegistry registry) {
        this.read = collections(registry, "read");
        this.unchanged = collections(registry, "unchanged");
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

    /** One finished script's workspace: read through the archive API, or left unread as the script left it empty. */
    void collected(boolean readArchive) {
        (readArchive ? read : unchanged).increment();
    }

    private static Counter collections(MeterRegistry registry, String outcome) {
        return Counter.builder(COLLECTIONS)
                .description("Finished scripts' workspaces, read or found unchanged")
                .tag("outcome", outcome)
                .register(registry);
    }
}
