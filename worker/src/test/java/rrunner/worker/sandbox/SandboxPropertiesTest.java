package rrunner.worker.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.validation.Validation;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.context.properties.bind.validation.ValidationBindHandler;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.beanvalidation.SpringValidatorAdapter;

class SandboxPropertiesTest {

    @Test
    void defaultsMatchTheDocumentedOnes() {
        assertThat(bind(Map.of())).isEqualTo(SandboxProperties.defaults());
    }

    @Test
    void bindsSizesAndRuntime() {
        SandboxProperties bound = bind(Map.of("rrunner.sandbox.memory", "1GB", "rrunner.sandbox.runtime", "runsc",
                "rrunner.sandbox.user", "2000"));

        assertThat(bound.memory()).isEqualTo(DataSize.ofGigabytes(1));
        assertThat(bound.runtime()).isEqualTo("runsc");
        assertThat(bound.uid()).isEqualTo(2000);
        assertThat(bound.gid()).isEqualTo(2000);
    }

    @Test
    void rejectsANamedUserBecauseTheWorkspaceOwnerMustBeNumeric() {
        assertThatThrownBy(() -> bind(Map.of("rrunner.sandbox.user", "runner")))
                .isInstanceOf(BindException.class).hasRootCauseInstanceOf(BindValidationException.class);
    }

    @Test
    void rejectsRootAsTheContainerUser() {
        for (String root : new String[] {"0", "0:0", "0:10001"}) {
            assertThatThrownBy(() -> bind(Map.of("rrunner.sandbox.user", root)))
                    .isInstanceOf(BindException.class).hasRootCauseInstanceOf(BindValidationException.class)
                    .rootCause().hasMessageContaining("RUNNER_CONTAINER_USER must not be 0");
        }
    }

    @Test
    void rejectsACollectTimeoutOfZero() {
        assertThatThrownBy(() -> bind(Map.of("rrunner.sandbox.collect-timeout", "0s")))
                .isInstanceOf(BindException.class).rootCause().hasMessageContaining("RUNNER_COLLECT_TIMEOUT");
    }

    @Test
    void rejectsAMemoryLimitDockerWouldRefuse() {
        assertThatThrownBy(() -> bind(Map.of("rrunner.sandbox.memory", "1MB")))
                .isInstanceOf(BindException.class).hasRootCauseInstanceOf(BindValidationException.class);
    }

    private static SandboxProperties bind(Map<String, String> properties) {
        Binder binder = new Binder(new MapConfigurationPropertySource(properties));
        ValidationBindHandler validation = new ValidationBindHandler(
                new SpringValidatorAdapter(Validation.buildDefaultValidatorFactory().getValidator()));
        return binder.bindOrCreate("rrunner.sandbox", Bindable.of(SandboxProperties.class), validation);
    }
}
