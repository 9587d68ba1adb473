package rrunner.worker.sandbox;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import rrunner.common.job.JobId;
import rrunner.worker.testing.TestOwner;

/** The sandbox contract on the cold path: every run creates and starts its own container. */
class ContainerRunnerIT extends ContainerRunnerContract {

    @Override
    ContainerRunner runner(SandboxProperties settings) {
        return new ContainerRunner(docker, settings, TestOwner.of(workerId));
    }

    @Test
    void failsAsUnavailableWhenTheImageIsMissing() {
        ContainerRunner runner = runner(SETTINGS.withImage("r-runner-does-not-exist:latest"));

        assertThatThrownBy(() -> runner.run(JobId.random(), spec("cat(1)"), OutputListener.IGNORE))
                .isInstanceOf(SandboxUnavailableException.class)
                .hasMessageContaining("r-runner-does-not-exist")
                .hasMessageNotContaining("Exception");
    }
}
