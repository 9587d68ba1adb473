package rrunner.worker.images;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import rrunner.common.job.JobId;
import rrunner.common.job.JobSpec;
import rrunner.common.job.RunResult;
import rrunner.worker.sandbox.ContainerRunner;
import rrunner.worker.sandbox.OutputListener;
import rrunner.worker.testing.DockerSandboxes;
import rrunner.worker.testing.TestOwner;
import rrunner.worker.testing.WorkerSettings;

/**
 * Smoke test of the analytics image under the full sandbox policy. The image is built by
 * {@code images/build.sh r-full}, which the test command ({@code scripts/test.sh}) always runs.
 */
class RFullImageIT {

    private static final String IMAGE = "r-runner-r-full:latest";

    @RegisterExtension
    static final DockerSandboxes SANDBOXES = DockerSandboxes.withConnections(16);

    @Test
    void loadsTheAnalyticsPackagesAndDrawsWithGgplot(DockerClient docker) {
        ContainerRunner runner = new ContainerRunner(docker, WorkerSettings.sandbox(),
                WorkerSettings.environments("RUNNER_SCRIPT_IMAGE", IMAGE), TestOwner.of(SANDBOXES.workerId("rfull-it")));

        // why 120 s: loading ggplot2 and lme4 takes tens of seconds on a busy 2-core machine
        RunResult result = runner.run(JobId.random(), new JobSpec("""
                suppressPackageStartupMessages({library(ggplot2); library(data.table); library(lme4)})
                p <- ggplot(mtcars, aes(wt, mpg)) + geom_point()
                ggsave("plot.png", p, width = 4, height = 3, dpi = 72)
                fit <- lmer(Reaction ~ Days + (1 | Subject), sleepstudy)
                cat(round(fixef(fit)[["Days"]], 1))
                """, 120, 10, 5_000_000), OutputListener.IGNORE).result();

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).isEqualTo("10.5");
        assertThat(result.artifacts()).singleElement().satisfies(png -> {
            assertThat(png.mimeType()).isEqualTo("image/png");
            assertThat(Base64.getDecoder().decode(png.content())).startsWith(0x89, 'P', 'N', 'G');
        });
    }
}
