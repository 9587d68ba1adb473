package rrunner.worker.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.util.unit.DataSize;
import rrunner.common.environment.Environments;
import rrunner.common.job.JobId;
import rrunner.common.job.JobSpec;
import rrunner.common.job.RunResult;
import rrunner.worker.sandbox.SandboxOutcome.Ending;
import rrunner.worker.testing.DockerSandboxes;
import rrunner.worker.testing.TestOwner;
import rrunner.worker.testing.WorkerSettings;

/**
 * What the adversarial suites share: small limits so every attack ends quickly and within bounded memory, a worker
 * label of each test's own, and after every attack proof that the runner still works and that nothing was left.
 */
abstract class SandboxAttackSupport {

    /** Small enough that filling each takes a moment, large enough for R and a PNG device. */
    static final SandboxProperties SMALL = new SandboxProperties("10001:10001", 64, 256, DataSize.ofMegabytes(8),
            DataSize.ofMegabytes(8), DataSize.ofKilobytes(64), "", java.time.Duration.ofSeconds(10));
    static final long MEMORY_MB = 256;
    static final Environments ENVIRONMENTS = WorkerSettings.environments();

    static final int MAX_ARTIFACT_COUNT = 10;
    static final long MAX_ARTIFACT_BYTES = 1_000_000;

    @RegisterExtension
    static final DockerSandboxes SANDBOXES = DockerSandboxes.withConnections(32);

    final DockerClient docker = SANDBOXES.client();
    final String workerId = SANDBOXES.workerId("adv");
    final MeterRegistry meters = new SimpleMeterRegistry();

    @BeforeAll
    static void imageIsPresent(DockerClient docker) {
        assertThat(docker.inspectImageCmd(ENVIRONMENTS.defaultEnvironment().image()).exec().getId()).startsWith("sha256:");
    }

    /** Runs before the extension's check that nothing is left. */
    @AfterEach
    void theRunnerStillWorks() {
        SandboxOutcome after = runner(SMALL).run(JobId.random(), spec("cat('ok')", 30), OutputListener.IGNORE);

        assertThat(after.ending()).isEqualTo(Ending.COMPLETED);
        assertThat(after.result().stdout()).isEqualTo("ok");
    }

    ContainerRunner runner(SandboxProperties settings) {
        return new ContainerRunner(docker, settings, ENVIRONMENTS, TestOwner.of(workerId), meters);
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
        return new JobSpec(script, timeoutSeconds, MAX_ARTIFACT_COUNT, MAX_ARTIFACT_BYTES,
                JobSpec.DEFAULT_MAX_RESULT_BYTES, null, MEMORY_MB, 1.0, List.of());
    }

    static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
