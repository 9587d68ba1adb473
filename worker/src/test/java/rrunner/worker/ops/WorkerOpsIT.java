package rrunner.worker.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.web.reactive.function.client.WebClient;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import rrunner.common.environment.Environments;
import rrunner.common.queue.RedisKeys;
import rrunner.common.queue.WorkerRegistry;
import rrunner.common.queue.WorkerRegistry.LiveWorker;
import rrunner.common.testing.RedisClientExtension;
import rrunner.common.testing.RedisTestContainer;
import rrunner.worker.WorkerApplication;
import rrunner.worker.config.WorkerIdentity;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The worker application's heartbeat and probes, on a real Redis and Docker engine. */
// why dirties: the app's claim loop would keep polling the stopped Redis until the JVM exits
@DirtiesContext
@Testcontainers
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "rrunner.queue.key-prefix=" + WorkerOpsIT.PREFIX,
        "rrunner.worker.concurrency=2",
        "rrunner.heartbeat.interval=500ms"})
class WorkerOpsIT {

    static final String PREFIX = "worker-ops-it";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Container
    @ServiceConnection(name = "redis")
    static final GenericContainer<?> REDIS = RedisTestContainer.create();
    /** The test's own connection, so the registry can still be read once the app has stopped. */
    @RegisterExtension
    static final RedisClientExtension REDIS_CLIENT = RedisClientExtension.keepingData(REDIS);

    @LocalServerPort
    int port;
    @Autowired
    WorkerIdentity identity;
    @Autowired
    Environments environments;

    @Test
    void registersItselfWithItsSlotsAndImage() {
        LiveWorker self = await().atMost(WAIT).until(this::self, worker -> worker != null);

        assertThat(self.heartbeat().concurrency()).isEqualTo(2);
        assertThat(self.heartbeat().busy()).isZero();
        assertThat(self.heartbeat().free()).isEqualTo(2);
        assertThat(self.heartbeat().image()).isEqualTo(environments.defaultEnvironment().image());
        assertThat(self.heartbeat().version()).isNotBlank();
        assertThat(self.heartbeat().startedAt()).isBefore(self.lastHeartbeat());
    }

    @Test
    void keepsBeating() {
        LiveWorker first = await().atMost(WAIT).until(this::self, worker -> worker != null);

        await().atMost(WAIT).until(() -> self().lastHeartbeat().isAfter(first.lastHeartbeat()));
    }

    @Test
    void isReadyWithRedisAndDockerAndAliveOnItsOwnState() {
        JsonNode readiness = await().atMost(WAIT).until(() -> health("/actuator/health/readiness"),
                health -> "UP".equals(health.path("status").stringValue()));
        JsonNode liveness = health("/actuator/health/liveness");

        assertThat(readiness.path("components").propertyNames())
                .containsExactlyInAnyOrder("readinessState", "redis", "docker");
        assertThat(List.of("readinessState", "redis", "docker")).allSatisfy(component -> assertThat(
                readiness.path("components").path(component).path("status").stringValue()).isEqualTo("UP"));
        assertThat(liveness.path("status").stringValue()).isEqualTo("UP");
        assertThat(liveness.path("components").propertyNames()).containsExactly("livenessState");
    }

    /** A worker app of its own, as the test's context can't be stopped halfway. */
    @Test
    void leavesTheRegistryWhenItStops() {
        String id = "stopping-worker";
        ConfigurableApplicationContext app = new SpringApplicationBuilder(WorkerApplication.class).run(
                "--rrunner.redis.url=" + RedisTestContainer.url(REDIS), "--server.port=0",
                "--rrunner.queue.key-prefix=" + PREFIX, "--rrunner.worker.id=" + id,
                "--rrunner.worker.concurrency=1", "--rrunner.heartbeat.interval=500ms");
        try {
            await().atMost(WAIT).until(() -> live(id) != null);
        } finally {
            app.close();
        }

        assertThat(live(id)).isNull();
        assertThat(REDIS.getDockerClient().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of("rrunner.managed", "true", "rrunner.worker", id)).exec())
                .isEmpty();
    }

    private LiveWorker self() {
        return live(identity.id());
    }

    private static LiveWorker live(String workerId) {
        return new WorkerRegistry(new RedisKeys(PREFIX), REDIS_CLIENT.reactive())
                .liveWorkers(WorkerRegistry.maxAge(Duration.ofMillis(500))).block().stream()
                .filter(worker -> worker.heartbeat().workerId().equals(workerId))
                .findFirst().orElse(null);
    }

    private JsonNode health(String path) {
        String body = WebClient.create("http://localhost:" + port).get().uri(path)
                .exchangeToMono(response -> response.bodyToMono(String.class))
                .block(WAIT);
        return JSON.readTree(body);
    }
}
