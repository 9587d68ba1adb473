package rrunner.common.environment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import rrunner.common.job.JobSpec;
import rrunner.common.job.Limits;
import rrunner.common.testing.SharedSettings;

class EnvironmentsTest {

    @Test
    void byDefaultOnlyRBaseIsServedWithTheServerLimits() {
        Environments environments = SharedSettings.environments();

        assertThat(environments.names()).containsExactly("r-base");
        Environment base = environments.defaultEnvironment();
        assertThat(base.image()).isEqualTo("r-runner-r-base:latest");
        assertThat(base.defaults()).isEqualTo(new Limits(30, 512, 1.0));
        assertThat(base.max()).isEqualTo(new Limits(300, 2048, 2.0));
        assertThat(environments.find("r-full")).isEmpty();
    }

    @Test
    void theDocumentedVariablesSetImagesLimitsAndWhichAreServed() {
        Environments environments = SharedSettings.environments("RUNNER_ENVIRONMENTS", "r-full,r-base",
                "RUNNER_SCRIPT_IMAGE", "mine:1", "RUN_TIMEOUT_SECONDS", "10", "MAX_MEMORY_LIMIT", "4GB");

        assertThat(environments.names()).containsExactly("r-base", "r-full");
        assertThat(environments.defaultEnvironment().image()).isEqualTo("mine:1");
        assertThat(environments.find("r-full").orElseThrow().defaults().timeoutSeconds()).isEqualTo(10);
        assertThat(environments.find("r-full").orElseThrow().max().memoryMb()).isEqualTo(4096);
    }

    @Test
    void aJobThatNamesNoEnvironmentRunsInTheDefault() {
        Environments environments = SharedSettings.environments("RUNNER_ENVIRONMENTS", "r-base,r-full");

        assertThat(environments.of(new JobSpec("1", 5, 1, 1)).orElseThrow().name()).isEqualTo("r-base");
        assertThat(environments.of(new JobSpec("1", 5, 1, 1, 1, "r-full", 0, 0, null)).orElseThrow().name())
                .isEqualTo("r-full");
        assertThat(environments.of(new JobSpec("1", 5, 1, 1, 1, "nope", 0, 0, null))).isEmpty();
    }

    @Test
    void anUndefinedEnvironmentStopsTheAppNamingTheDefinedOnes() {
        assertThatThrownBy(() -> SharedSettings.environments("RUNNER_ENVIRONMENTS", "r-base,r-fancy"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("r-fancy").hasMessageContaining("r-base, r-full")
                .hasMessageContaining("RUNNER_ENVIRONMENTS_FILE");
    }

    @Test
    void aDefaultEnvironmentThatIsNotServedStopsTheApp() {
        assertThatThrownBy(() -> SharedSettings.environments("RUNNER_DEFAULT_ENVIRONMENT", "r-full"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("RUNNER_DEFAULT_ENVIRONMENT");
    }

    @Test
    void aDefaultAboveItsMaximumStopsTheApp() {
        assertThatThrownBy(() -> SharedSettings.environments("RUNNER_MEMORY_LIMIT", "3GB"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("default memory limit");
        assertThatThrownBy(() -> SharedSettings.environments("RUN_TIMEOUT_SECONDS", "301"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("default timeout");
    }

    @Test
    void aMaximumTimeoutAboveWhatAJobMayRunStopsTheApp() {
        assertThatThrownBy(() -> SharedSettings.environments("MAX_TIMEOUT_SECONDS", "601"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("600 s");
    }

    @Test
    void aListedEnvironmentTwiceStopsTheApp() {
        assertThatThrownBy(() -> SharedSettings.environments("RUNNER_ENVIRONMENTS", "r-base,r-base"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("twice");
    }

    @Test
    void oneReadyWorkerMakesAnEnvironmentReady() {
        assertThat(EnvironmentStatus.best(EnvironmentStatus.UNAVAILABLE, EnvironmentStatus.READY))
                .isEqualTo(EnvironmentStatus.READY);
        assertThat(EnvironmentStatus.best(EnvironmentStatus.PULLING, EnvironmentStatus.UNAVAILABLE))
                .isEqualTo(EnvironmentStatus.PULLING);
    }
}
