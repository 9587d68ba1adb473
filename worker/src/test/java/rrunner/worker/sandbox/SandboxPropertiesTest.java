package rrunner.worker.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.util.unit.DataSize;
import rrunner.worker.testing.WorkerSettings;

class SandboxPropertiesTest {

    @Test
    void bindsSizesAndRuntime() {
        SandboxProperties bound = bind("RUNNER_WORKSPACE_SIZE", "1GB", "RUNNER_CONTAINER_RUNTIME", "runsc",
                "RUNNER_CONTAINER_USER", "2000");

        assertThat(bound.workspaceSize()).isEqualTo(DataSize.ofGigabytes(1));
        assertThat(bound.runtime()).isEqualTo("runsc");
        assertThat(bound.uid()).isEqualTo(2000);
        assertThat(bound.gid()).isEqualTo(2000);
    }

    @Test
    void rejectsANamedUserBecauseTheWorkspaceOwnerMustBeNumeric() {
        assertThatThrownBy(() -> bind("RUNNER_CONTAINER_USER", "runner"))
                .isInstanceOf(BindException.class).hasRootCauseInstanceOf(BindValidationException.class);
    }

    @Test
    void rejectsRootAsTheContainerUser() {
        for (String root : new String[] {"0", "0:0", "0:10001"}) {
            assertThatThrownBy(() -> bind("RUNNER_CONTAINER_USER", root))
                    .isInstanceOf(BindException.class).hasRootCauseInstanceOf(BindValidationException.class)
                    .rootCause().hasMessageContaining("RUNNER_CONTAINER_USER must not be 0");
        }
    }

    @Test
    void rejectsACollectTimeoutOfZero() {
        assertThatThrownBy(() -> bind("RUNNER_COLLECT_TIMEOUT", "0s"))
                .isInstanceOf(BindException.class).rootCause().hasMessageContaining("RUNNER_COLLECT_TIMEOUT");
    }

    @Test
    void rejectsAnEmptyWorkspace() {
        assertThatThrownBy(() -> bind("RUNNER_WORKSPACE_SIZE", "0B"))
                .isInstanceOf(BindException.class).hasRootCauseInstanceOf(BindValidationException.class);
    }

    private static SandboxProperties bind(String... environment) {
        return WorkerSettings.sandbox(environment);
    }
}
