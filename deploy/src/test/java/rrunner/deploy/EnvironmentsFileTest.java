package rrunner.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import rrunner.common.environment.Environment;
import rrunner.common.environment.Environments;
import rrunner.common.job.Limits;

/**
 * RUNNER_ENVIRONMENTS_FILE as the README documents it: the example in deploy/environments.yaml (which compose
 * mounts) is the README's, and the apps serve what it defines once RUNNER_ENVIRONMENTS lists it.
 */
class EnvironmentsFileTest {

    private static final String EXAMPLE = "deploy/environments.yaml";
    private static final Pattern YAML_BLOCK = Pattern.compile("```yaml\n(rrunner:\n.*?)```", Pattern.DOTALL);

    @Test
    void theExampleServesNothingUntilRunnerEnvironmentsListsIt() {
        Environments served = EnvironmentsFile.served(RepositoryFiles.path(EXAMPLE), Map.of());

        assertThat(served.names()).containsExactly("r-base");
    }

    @Test
    void theExampleIsServedWithItsOwnLimitsAndTheServersForTheRest() {
        Environments served = EnvironmentsFile.served(RepositoryFiles.path(EXAMPLE),
                Map.of("RUNNER_ENVIRONMENTS", "r-base,r-geo"));

        Environment geo = served.find("r-geo").orElseThrow();
        assertThat(served.names()).containsExactly("r-base", "r-geo");
        assertThat(geo.image()).isEqualTo("registry.example.org/r-geo:1.0");
        assertThat(geo.description()).isNotBlank();
        assertThat(geo.example()).isNotBlank();
        // timeout and memory its own, cpus the server's (RUNNER_CPU_LIMIT); its maximum cpus its own, the rest the
        // server's (MAX_TIMEOUT_SECONDS, MAX_MEMORY_LIMIT)
        assertThat(geo.defaults()).isEqualTo(new Limits(120, 1024, 1.0));
        assertThat(geo.max()).isEqualTo(new Limits(300, 2048, 1.5));
    }

    @Test
    void theReadmeShowsTheExampleFile() {
        Matcher block = YAML_BLOCK.matcher(RepositoryFiles.read("README.md"));

        assertThat(block.find()).as("a ```yaml block starting with rrunner: in README.md").isTrue();
        assertThat(Yamls.load(block.group(1))).isEqualTo(Yamls.load(RepositoryFiles.read(EXAMPLE)));
    }

    @Test
    void aFileChangesAShippedEnvironmentKeyByKey() {
        Environments served = EnvironmentsFile.served("""
                rrunner:
                  environments:
                    definitions:
                      r-full:
                        defaults: {timeout-seconds: 120}
                """, Map.of("RUNNER_ENVIRONMENTS", "r-base,r-full"));

        Environment full = served.find("r-full").orElseThrow();
        assertThat(full.image()).isEqualTo("r-runner-r-full:latest");
        assertThat(full.description()).contains("tidyverse");
        assertThat(full.defaults().timeoutSeconds()).isEqualTo(120);
    }

    @Test
    void anEnvironmentAboveTheServersMaximaStopsTheApps() {
        assertThatThrownBy(() -> EnvironmentsFile.served("""
                rrunner:
                  environments:
                    definitions:
                      r-big:
                        image: r-big:1
                        max: {memory: 4GB}
                """, Map.of("RUNNER_ENVIRONMENTS", "r-base,r-big")))
                .hasMessageContaining("r-big").hasMessageContaining("MAX_MEMORY_LIMIT");
    }
}
