package rrunner.worker.images;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class ImagePropertiesTest {

    @Test
    void defaultsToPullingOncePerFiveMinutes() {
        assertThat(bind(Map.of())).isEqualTo(ImageProperties.defaults());
    }

    @Test
    void bindsThePolicyAsWrittenInTheEnvironment() {
        ImageProperties bound = bind(Map.of("rrunner.images.pull-policy", "if-missing",
                "rrunner.images.pull-interval", "30s"));

        assertThat(bound.pullPolicy()).isEqualTo(PullPolicy.IF_MISSING);
        assertThat(bound.pullInterval()).isEqualTo(Duration.ofSeconds(30));
    }

    private static ImageProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("rrunner.images", Bindable.of(ImageProperties.class));
    }
}
