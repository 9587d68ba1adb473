package rrunner.worker.sandbox;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import rrunner.common.job.JobId;
import rrunner.worker.testing.TestOwner;
import rrunner.worker.testing.WorkerSettings;

/** The sandbox contract on the cold path: every run creates and starts its own container. */
class ContainerRunnerIT extends ContainerRunnerContract {

    @Override
    boolean warm() {
        return false;
    }

    @Override
    ContainerRunner runner(SandboxProperties settings, MeterRegistry meters) {
        return new ContainerRunner(docker, settings, ENVIRONMENTS, TestOwner.of(workerId), meters);
    }

    @Test
    void failsAsUnavailableWhenTheImageIsMissing() {
        ContainerRunner runner = new ContainerRunner(docker, SETTINGS,
                WorkerSettings.environments("RUNNER_SCRIPT_IMAGE", "r-runner-does-not-exist:latest"),
                TestOwner.of(workerId));

        assertThatThrownBy(() -> runner.run(JobId.random(), spec("cat(1)"), OutputListener.IGNORE))
                .isInstanceOf(SandboxUnavailableException.class)
                .hasMessageContaining("r-runner-does-not-exist")
                .hasMessageNotContaining("Exception");
    }
}
