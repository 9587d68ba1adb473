package rrunner.worker.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import rrunner.worker.testing.WorkerSettings;

class PoolPropertiesTest {

    @Test
    void defaultsToOneSandboxPerConcurrentJobKeptFiveMinutes() {
        PoolProperties defaults = bind();

        assertThat(defaults.resolvedSize(4)).isEqualTo(4);
        assertThat(defaults.maxIdle()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void zeroTurnsThePoolOffWhateverTheConcurrency() {
        assertThat(bind("RUNNER_POOL_SIZE", "0").resolvedSize(8)).isZero();
        assertThat(bind("RUNNER_POOL_SIZE", "3").resolvedSize(8)).isEqualTo(3);
    }

    @Test
    void rejectsANegativeSizeOtherThanTheDefaultMarker() {
        assertThatThrownBy(() -> bind("RUNNER_POOL_SIZE", "-2"))
                .isInstanceOf(BindException.class).hasRootCauseInstanceOf(BindValidationException.class);
    }

    @Test
    void rejectsAnIdleAgeTooShortToBeTaken() {
        assertThatThrownBy(() -> bind("RUNNER_POOL_MAX_IDLE", "100ms"))
                .isInstanceOf(BindException.class).hasRootCauseInstanceOf(BindValidationException.class);
    }

    private static PoolProperties bind(String... environment) {
        return WorkerSettings.bind(PoolProperties.class, environment);
    }
}
