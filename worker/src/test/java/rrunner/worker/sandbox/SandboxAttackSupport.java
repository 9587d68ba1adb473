package rrunner.worker.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.util.unit.DataSize;
import rrunner.common.job.JobId;
import rrunner.common.job.JobSpec;
import rrunner.common.job.RunResult;
import rrunner.worker.sandbox.SandboxOutcome.Ending;
import rrunner.worker.testing.DockerSandboxes;
import rrunner.worker.testing.TestOwner;

/**
 * What the adversarial suites share: small limits so every attack ends quickly and within bounded memory, a worker
 * label of each test's own, and after every attack proof that the runner still works and that nothing was left.
 */
abstract class SandboxAttackSupport {

    /** Small enough that filling each takes a moment, large enough for R and a PNG device. */
    static final SandboxProperties SMALL = new SandboxProperties("r-runner-r-base:latest", "10001:10001",
            DataSize.ofMegabytes(256), 1.0, 64, 256, DataSize.ofMegabytes(8), DataSize.ofMegabytes(8),
            DataSize.ofKilobytes(64), "", java.time.Duration.ofSeconds(10));

    static final int MAX_ARTIFACT_COUNT = 10;
    static final long MAX_ARTIFACT_BYTES = 1_000_000;

    @RegisterExtension
    static final DockerSandboxes SANDBOXES = DockerSandboxes.withConnections(32);

    final DockerClient docker = SANDBOXES.client();
    final String workerId = SANDBOXES.workerId("adv");
    final MeterRegistry meters = new SimpleMeterRegistry();

    @BeforeAll
    static void imageIsPresent(DockerClient docker) {
        assertThat(docker.inspectImageCmd(SMALL.image()).exec().getId()).startsWith("sha256:");
    }

    /** Runs before the extension's check that nothing is left. */
    @AfterEach
    void theRunnerStillWorks() {
        SandboxOutcome after = runner(SMALL).run(JobId.random(), spec("cat('ok')", 30), OutputListener.IGNORE);

        assertThat(after.ending()).isEqualTo(Ending.COMPLETED);
        assertThat(after.result().stdout()).isEqualTo("ok");
    }

    ContainerRunner runner(SandboxProperties settings) {
        return new ContainerRunner(docker, settings, TestOwner.of(workerId), meters);
    }

    SandboxOutcome attack(String script, int timeoutSeconds) {
        return runner(SMALL).run(JobId.random(), spec(script, timeoutSeconds), OutputListener.IGNORE);
    }

    /** Runs a script that must complete by itself within 30 s. */
    RunResult completed(String script) {
        SandboxOutcome outcome = attack(script, 30);
        assertThat(outcome.ending()).isEqualTo(Ending.COMPLETED);
        return outcome.result();
    }

    double skipped(SkippedEntry kind) {
        return meters.get(ArtifactMetrics.SKIPPED).tag("kind", kind.tag()).counter().count();
    }

    static JobSpec spec(String script, int timeoutSeconds) {
        return new JobSpec(script, timeoutSeconds, MAX_ARTIFACT_COUNT, MAX_ARTIFACT_BYTES);
    }

    static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
