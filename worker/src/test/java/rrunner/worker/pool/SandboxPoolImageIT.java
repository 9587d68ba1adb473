package rrunner.worker.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.model.Container;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import rrunner.common.environment.Environments;
import rrunner.common.job.JobId;
import rrunner.common.job.JobSpec;
import rrunner.worker.sandbox.ContainerRunner;
import rrunner.worker.sandbox.OutputListener;
import rrunner.worker.sandbox.SandboxLabels;
import rrunner.worker.sandbox.SandboxOutcome;
import rrunner.worker.sandbox.SandboxPreparer;
import rrunner.worker.sandbox.SandboxProperties;
import rrunner.worker.testing.DockerSandboxes;
import rrunner.worker.testing.SandboxLeakCheck;
import rrunner.worker.testing.TestOwner;
import rrunner.worker.testing.WorkerSettings;

/**
 * A pull that brings a new image retires the sandboxes made from the old one. The test's own image name first
 * points at r-base, then at a derived image that says which one it is, as a pull of a new digest would move it.
 */
class SandboxPoolImageIT {

    private static final String BASE = WorkerSettings.defaultEnvironment().image();
    private static final Duration READY_WAIT = Duration.ofSeconds(60);

    // why a tag of its own: removing the test's name from an image it alone tags would delete the image
    private static final String NEW_IMAGE = "r-runner-pool-it-new-" + UUID.randomUUID().toString().substring(0, 8);

    @RegisterExtension
    static final DockerSandboxes SANDBOXES = DockerSandboxes.withConnections(32);

    private static String newImageId;
    private static String oldImageId;

    private final DockerClient docker = SANDBOXES.client();
    private final String workerId = SANDBOXES.workerId("pool-img");
    private final String repository = "r-runner-pool-it-" + UUID.randomUUID().toString().substring(0, 8);
    private final SandboxProperties settings = WorkerSettings.sandbox();
    private final Environments environments = WorkerSettings.environments("RUNNER_SCRIPT_IMAGE",
            repository + ":latest");
    private final MeterRegistry meters = new SimpleMeterRegistry();
    private SandboxPool pool;

    @BeforeAll
    static void buildTheNewImage(DockerClient docker, @TempDir Path context) throws IOException {
        oldImageId = docker.inspectImageCmd(BASE).exec().getId();
        Files.writeString(context.resolve("Dockerfile"), "FROM " + BASE + "\nENV POOL_IT_IMAGE=new\n");
        newImageId = docker.buildImageCmd(context.toFile()).withLabels(Map.of("rrunner.test", "pool"))
                .withTags(Set.of(NEW_IMAGE + ":latest"))
                .exec(new BuildImageResultCallback()).awaitImageId();
        newImageId = docker.inspectImageCmd(newImageId).exec().getId();
    }

    @AfterAll
    static void removeTheNewImage(DockerClient docker) {
        docker.removeImageCmd(NEW_IMAGE + ":latest").exec();
    }

    @BeforeEach
    void pointTheNameAtTheOldImage() {
        docker.tagImageCmd(oldImageId, repository, "latest").exec();
    }

    @AfterEach
    void closeThePoolAndUntagTheImage() {
        if (pool != null) {
            pool.close();
        }
        docker.removeImageCmd(repository + ":latest").exec();
    }

    @Test
    void aJobAskingForANewImageGetsItAndTheOldSandboxesAreReplaced() {
        startPoolOfOldSandboxes(Duration.ofMinutes(5));
        docker.tagImageCmd(newImageId, repository, "latest").exec();

        SandboxOutcome first = runner().run(JobId.random(), spec(), OutputListener.IGNORE, newImageId);

        assertThat(first.warm()).isFalse();
        assertThat(first.result().stdout()).isEqualTo("new");
        await().atMost(READY_WAIT).until(() -> pool.readyCount() == 2 && poolImages().equals(Set.of(newImageId)));
        SandboxOutcome second = runner().run(JobId.random(), spec(), OutputListener.IGNORE, newImageId);
        assertThat(second.warm()).isTrue();
        assertThat(second.result().stdout()).isEqualTo("new");
        assertThat(meters.get("rrunner.sandbox.pool.retired").tag("reason", "image").counter().count()).isEqualTo(2);
    }

    @Test
    void followsTheImageNameToANewImageWithoutWaitingForAJob() {
        // why so short: upkeep, which follows the image name, runs every quarter of the idle age
        startPoolOfOldSandboxes(Duration.ofSeconds(4));

        docker.tagImageCmd(newImageId, repository, "latest").exec();

        await().atMost(READY_WAIT).until(() -> pool.readyCount() == 2 && poolImages().equals(Set.of(newImageId)));
        SandboxOutcome outcome = runner().run(JobId.random(), spec(), OutputListener.IGNORE);
        assertThat(outcome.warm()).isTrue();
        assertThat(outcome.result().stdout()).isEqualTo("new");
    }

    private void startPoolOfOldSandboxes(Duration maxIdle) {
        pool = new SandboxPool(new SandboxPreparer(docker, settings, TestOwner.of(workerId)),
                environments.defaultEnvironment(), new PoolProperties(2, 2, maxIdle), 2,
                meters);
        pool.start();
        await().atMost(READY_WAIT).until(() -> pool.readyCount() == 2);
        assertThat(poolImages()).containsExactly(oldImageId);
    }

    private ContainerRunner runner() {
        return new ContainerRunner(docker, settings, environments, TestOwner.of(workerId), meters, pool);
    }

    private Set<String> poolImages() {
        List<Container> containers = SandboxLeakCheck.containersOf(docker, workerId);
        return Set.copyOf(containers.stream()
                .filter(c -> SandboxLabels.ROLE_POOL.equals(c.getLabels().get(SandboxLabels.ROLE)))
                .filter(c -> "running".equals(c.getState()))
                .map(Container::getImageId).toList());
    }

    private static JobSpec spec() {
        return new JobSpec("cat(Sys.getenv('POOL_IT_IMAGE', 'old'))", 30, 10, 5_000_000);
    }
}
