package rrunner.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The drift check itself, for the settings that bind to more than a scalar: a list (RUNNER_ENVIRONMENTS), a value
 * inside the environment definitions map (RUNNER_FULL_IMAGE) and the file the shared settings import
 * (RUNNER_ENVIRONMENTS_FILE). A copy of one of their defaults that is wrong must not pass as agreeing.
 */
class BoundDefaultsTest {

    @Test
    void theDocumentedDefaultsOfTheEnvironmentSettingsAgree() {
        assertThat(BoundDefaults.disagreements("a copy", Map.of("RUNNER_ENVIRONMENTS", "r-base",
                "RUNNER_FULL_IMAGE", "r-runner-r-full:latest",
                "RUNNER_ENVIRONMENTS_FILE", "/etc/rrunner/environments.yaml"))).isEmpty();
    }

    @Test
    void seesAnotherListOfEnvironments() {
        assertThat(BoundDefaults.disagreements("a copy", Map.of("RUNNER_ENVIRONMENTS", "r-base,r-full")))
                .hasSize(2).allSatisfy(d -> assertThat(d).contains("rrunner.environments.enabled"));
    }

    @Test
    void seesAnotherImageInsideTheDefinitions() {
        assertThat(BoundDefaults.disagreements("a copy", Map.of("RUNNER_FULL_IMAGE", "r-runner-r-full:2")))
                .hasSize(2).allSatisfy(d -> assertThat(d).contains("rrunner.environments.definitions"));
    }

    @Test
    void seesAnotherEnvironmentsFile() {
        assertThat(BoundDefaults.disagreements("a copy", Map.of("RUNNER_ENVIRONMENTS_FILE", "/srv/environments.yaml")))
                .hasSize(2).allSatisfy(d -> assertThat(d).contains("spring.config.import"));
    }
}
