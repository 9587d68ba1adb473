package rrunner.worker.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArtifactMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void registersEveryKindAtZeroSoEachSeriesExistsBeforeItsFirstOccurrence() {
        new ArtifactMetrics(registry);

        assertThat(registry.find(ArtifactMetrics.SKIPPED).counters())
                .extracting(counter -> counter.getId().getTag("kind"))
                .containsExactlyInAnyOrder("symlink", "hardlink", "fifo", "device", "other", "oversize", "over-count",
                        "unread");
        assertThat(registry.find(ArtifactMetrics.SKIPPED).counters()).extracting(Counter::count).containsOnly(0.0);
    }

    @Test
    void countsSkippedEntriesByKind() {
        ArtifactMetrics metrics = new ArtifactMetrics(registry);

        metrics.record(Map.of(SkippedEntry.SYMLINK, 3, SkippedEntry.OVER_COUNT, 40));
        metrics.record(Map.of(SkippedEntry.SYMLINK, 1));

        assertThat(registry.get(ArtifactMetrics.SKIPPED).tag("kind", "symlink").counter().count()).isEqualTo(4);
        assertThat(registry.get(ArtifactMetrics.SKIPPED).tag("kind", "over-count").counter().count()).isEqualTo(40);
        assertThat(registry.get(ArtifactMetrics.SKIPPED).tag("kind", "fifo").counter().count()).isZero();
    }
}
