package rrunner.worker.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.test.annotation.DirtiesContext;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import rrunner.common.environment.EnvironmentReport;
import rrunner.common.environment.EnvironmentStatus;
import rrunner.common.job.JobRecord;
import rrunner.common.job.JobSpec;
import rrunner.common.json.JsonCodec;
import rrunner.common.queue.JobQueue;
import rrunner.common.queue.WorkerRegistry;
import rrunner.common.queue.WorkerRegistry.LiveWorker;
import rrunner.common.system.ImageInventory;
import rrunner.common.testing.RedisTestContainer;
import rrunner.worker.config.WorkerIdentity;
import rrunner.worker.testing.WorkerJobContainers;

/**
 * A worker serving two environments ({@code RUNNER_ENVIRONMENTS=r-base,r-full}) runs each job in its own environment's
 * image and reports both. Needs the r-full image, so the build runs it only with {@code -Prrunner-r-full}, as it
 * does {@code RFullImageIT}.
 */
// why dirties: the app's claim loop would keep polling the stopped Redis until the JVM exits
@DirtiesContext
@Testcontainers
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "rrunner.queue.key-prefix=rfull-env-it",
        "rrunner.worker.concurrency=2",
        "rrunner.environments.enabled=r-base,r-full"})
class RFullEnvironmentIT {

    private static final String GGPLOT = "suppressPackageStartupMessages(library(ggplot2)); cat('ggplot2', "
            + "as.character(packageVersion('ggplot2')))";

    @Container
    @ServiceConnection(name = "redis")
    static final GenericContainer<?> REDIS = RedisTestContainer.create();

    @Autowired
    JobQueue queue;
    @Autowired
    WorkerRegistry registry;
    @Autowired
    WorkerIdentity identity;
    @Autowired
    DockerClient docker;
    @Autowired
    StatefulRedisConnection<String, String> redis;

    @RegisterExtension
    final WorkerJobContainers jobContainers = new WorkerJobContainers();

    @Test
    void runsEachJobInItsEnvironmentsImageAndReportsBothInTheHeartbeat() {
        // why 120 s: loading ggplot2 takes seconds on a busy 2-core machine
        JobRecord full = awaitTerminal(queue.enqueue(spec(GGPLOT, "r-full")).block());
        JobRecord base = awaitTerminal(queue.enqueue(spec(GGPLOT, "r-base")).block());

        assertThat(full.result().exitCode()).as(full.result().stderr()).isZero();
        assertThat(full.result().stdout()).startsWith("ggplot2 3.");
        assertThat(base.result().exitCode()).isNotZero();
        assertThat(base.result().stderr()).contains("there is no package called", "ggplot2");
        String fullImage = docker.inspectImageCmd("r-runner-r-full:latest").exec().getId();
        String baseImage = docker.inspectImageCmd("r-runner-r-base:latest").exec().getId();
        assertThat(full.result().provenance().environment()).isEqualTo("r-full");
        assertThat(full.result().provenance().imageId()).isEqualTo(fullImage);
        assertThat(base.result().provenance().environment()).isEqualTo("r-base");
        assertThat(base.result().provenance().imageId()).isEqualTo(baseImage).isNotEqualTo(fullImage);

        Map<String, EnvironmentReport> reports = await().atMost(Duration.ofSeconds(120)).until(this::reports,
                now -> now.values().stream().allMatch(report -> report.rVersion() != null));
        assertThat(reports).containsOnly(
                Map.entry("r-base", new EnvironmentReport(EnvironmentStatus.READY, baseImage,
                        base.result().provenance().rVersion())),
                Map.entry("r-full", new EnvironmentReport(EnvironmentStatus.READY, fullImage,
                        full.result().provenance().rVersion())));
    }

    @Test
    void publishesEachEnvironmentsInventoryAndTheDefaultOneForSystem() {
        String fullJson = await().atMost(Duration.ofSeconds(120))
                .until(() -> redis.sync().get(queue.keys().inventory("r-full")), json -> json != null);
        String baseJson = redis.sync().get(queue.keys().inventory("r-base"));

        assertThat(JsonCodec.read(fullJson, ImageInventory.class).packages()).contains("ggplot2", "data.table");
        assertThat(JsonCodec.read(baseJson, ImageInventory.class).packages()).contains("stats")
                .doesNotContain("ggplot2");
        assertThat(redis.sync().get(queue.keys().system())).isEqualTo(baseJson);
    }

    private Map<String, EnvironmentReport> reports() {
        List<LiveWorker> live = registry.liveWorkers(Duration.ofMinutes(1)).block();
        return live.stream().filter(worker -> worker.heartbeat().workerId().equals(identity.id()))
                .map(worker -> worker.heartbeat().environments()).findFirst().orElse(Map.of());
    }

    private static JobSpec spec(String script, String environment) {
        return new JobSpec(script, 120, 10, 5_000_000, JobSpec.DEFAULT_MAX_RESULT_BYTES, environment, 0, 0, List.of());
    }

    private JobRecord awaitTerminal(JobRecord job) {
        return await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200))
                .until(() -> queue.find(job.id()).block(), record -> record.state().isTerminal());
    }
}
