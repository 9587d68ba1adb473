package rrunner.worker.images;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PullPolicyTest {

    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    private static final Duration INTERVAL = Duration.ofMinutes(5);

    @Test
    void alwaysPullsEvenWithALocalCopyJustPulled() {
        assertThat(PullPolicy.ALWAYS.shouldPull(true, NOW, NOW, INTERVAL)).isTrue();
    }

    @Test
    void ifMissingPullsOnlyWithoutALocalCopy() {
        assertThat(PullPolicy.IF_MISSING.shouldPull(true, null, NOW, INTERVAL)).isFalse();
        assertThat(PullPolicy.IF_MISSING.shouldPull(false, NOW, NOW, INTERVAL)).isTrue();
    }

    @Test
    void intervalPullsOnTheFirstRunAfterStart() {
        assertThat(PullPolicy.INTERVAL.shouldPull(true, null, NOW, INTERVAL)).isTrue();
    }

    @Test
    void intervalSkipsWithinTheIntervalAndPullsOnceItPassed() {
        assertThat(PullPolicy.INTERVAL.shouldPull(true, NOW.minus(Duration.ofMinutes(4)), NOW, INTERVAL)).isFalse();
        assertThat(PullPolicy.INTERVAL.shouldPull(true, NOW.minus(INTERVAL), NOW, INTERVAL)).isTrue();
    }

    @Test
    void intervalPullsAMissingImageWhateverTheInterval() {
        assertThat(PullPolicy.INTERVAL.shouldPull(false, NOW, NOW, INTERVAL)).isTrue();
    }
}
