package rrunner.worker.images;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import rrunner.worker.testing.WorkerSettings;

class ImagePropertiesTest {

    @Test
    void defaultsToPullingOncePerFiveMinutes() {
        ImageProperties defaults = bind();

        assertThat(defaults.pullPolicy()).isEqualTo(PullPolicy.INTERVAL);
        assertThat(defaults.pullInterval()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void bindsThePolicyAsWrittenInTheEnvironment() {
        ImageProperties bound = bind("RUNNER_PULL_POLICY", "if-missing", "RUNNER_PULL_INTERVAL", "30s");

        assertThat(bound.pullPolicy()).isEqualTo(PullPolicy.IF_MISSING);
        assertThat(bound.pullInterval()).isEqualTo(Duration.ofSeconds(30));
    }

    private static ImageProperties bind(String... environment) {
        return WorkerSettings.bind(ImageProperties.class, environment);
    }
}
