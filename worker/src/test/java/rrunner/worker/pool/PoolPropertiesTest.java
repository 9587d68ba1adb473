package rrunner.worker.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.validation.Validation;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.context.properties.bind.validation.ValidationBindHandler;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.validation.beanvalidation.SpringValidatorAdapter;

class PoolPropertiesTest {

    @Test
    void defaultsToOneSandboxPerConcurrentJobKeptFiveMinutes() {
        PoolProperties defaults = bind(Map.of());

        assertThat(defaults).isEqualTo(PoolProperties.defaults());
        assertThat(defaults.resolvedSize(4)).isEqualTo(4);
        assertThat(defaults.maxIdle()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void zeroTurnsThePoolOffWhateverTheConcurrency() {
        assertThat(bind(Map.of("rrunner.pool.size", "0")).resolvedSize(8)).isZero();
        assertThat(bind(Map.of("rrunner.pool.size", "3")).resolvedSize(8)).isEqualTo(3);
    }

    @Test
    void rejectsANegativeSizeOtherThanTheDefaultMarker() {
        assertThatThrownBy(() -> bind(Map.of("rrunner.pool.size", "-2")))
                .isInstanceOf(BindException.class).hasRootCauseInstanceOf(BindValidationException.class);
    }

    @Test
    void rejectsAnIdleAgeTooShortToBeTaken() {
        assertThatThrownBy(() -> bind(Map.of("rrunner.pool.max-idle", "100ms")))
                .isInstanceOf(BindException.class).hasRootCauseInstanceOf(BindValidationException.class);
    }

    private static PoolProperties bind(Map<String, String> properties) {
        Binder binder = new Binder(new MapConfigurationPropertySource(properties));
        ValidationBindHandler validation = new ValidationBindHandler(
                new SpringValidatorAdapter(Validation.buildDefaultValidatorFactory().getValidator()));
        return binder.bindOrCreate("rrunner.pool", Bindable.of(PoolProperties.class), validation);
    }
}
