package rrunner.gateway.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.resource.ClientResources;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.context.ApplicationContext;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveRedisOperations;
import org.springframework.data.redis.core.RedisOperations;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.TestPropertySource;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Container;
import rrunner.common.testing.RedisTestContainer;
import rrunner.gateway.testing.GatewayOnRealRedis;
import tools.jackson.databind.JsonNode;

/**
 * The probes Kubernetes and compose use: readiness follows Redis, liveness does not (restarting the gateway
 * would not bring Redis back). Redis is paused, so its connections hang rather than drop.
 */
@TestPropertySource(properties = {
        "RUNNER_TOKEN=probe-token", "REDIS_COMMAND_TIMEOUT=1s", "OPS_POLL_INTERVAL=100ms"})
class GatewayProbesIT extends GatewayOnRealRedis {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Container
    @ServiceConnection(name = "redis")
    static final GenericContainer<?> REDIS = RedisTestContainer.create();

    @Autowired
    MeterRegistry meters;
    @Autowired
    ApplicationContext context;

    @AfterEach
    void resumeRedis() {
        if (REDIS.getDockerClient().inspectContainerCmd(REDIS.getContainerId()).exec().getState().getPaused()) {
            REDIS.getDockerClient().unpauseContainerCmd(REDIS.getContainerId()).exec();
        }
    }

    @Test
    void readinessIncludesRedisAndLivenessOnlyTheAppsOwnState() {
        JsonNode readiness = health("/actuator/health/readiness", HttpStatus.OK);
        JsonNode liveness = health("/actuator/health/liveness", HttpStatus.OK);

        assertThat(readiness.path("status").stringValue()).isEqualTo("UP");
        assertThat(readiness.path("components").propertyNames()).containsExactlyInAnyOrder("readinessState", "redis");
        assertThat(readiness.path("components").path("redis").path("status").stringValue()).isEqualTo("UP");
        assertThat(liveness.path("components").propertyNames()).containsExactly("livenessState");
    }

    /** Boot's Redis auto-configuration would add its own client, connection factory and templates beside ours. */
    @Test
    void talksToRedisThroughOneLettuceClientAndNoSpringDataRedisBeans() {
        assertThat(context.getBeanNamesForType(RedisClient.class)).hasSize(1);
        assertThat(context.getBeanNamesForType(ClientResources.class)).hasSize(1);
        assertThat(context.getBeanNamesForType(RedisConnectionFactory.class)).isEmpty();
        assertThat(context.getBeanNamesForType(ReactiveRedisConnectionFactory.class)).isEmpty();
        assertThat(context.getBeanNamesForType(RedisOperations.class)).isEmpty();
        assertThat(context.getBeanNamesForType(ReactiveRedisOperations.class)).isEmpty();
    }

    @Test
    void redisGoingAwayMakesTheGatewayUnreadyButAlive() {
        await().atMost(WAIT).until(() -> meters.get("rrunner.queue.waiting").gauge().value() == 0);

        REDIS.getDockerClient().pauseContainerCmd(REDIS.getContainerId()).exec();

        assertThat(health("/actuator/health/readiness", HttpStatus.SERVICE_UNAVAILABLE)
                .path("components").path("redis").path("status").stringValue()).isEqualTo("DOWN");
        health("/actuator/health/liveness", HttpStatus.OK);
        await().atMost(WAIT).until(() -> Double.isNaN(meters.get("rrunner.queue.waiting").gauge().value()));

        REDIS.getDockerClient().unpauseContainerCmd(REDIS.getContainerId()).exec();
        await().atMost(WAIT).untilAsserted(() -> health("/actuator/health/readiness", HttpStatus.OK));
        await().atMost(WAIT).until(() -> meters.get("rrunner.queue.waiting").gauge().value() == 0);
    }

    private JsonNode health(String path, HttpStatus status) {
        return JSON.readTree(client.get().uri(path).exchange()
                .expectStatus().isEqualTo(status)
                .expectBody(String.class).returnResult().getResponseBody());
    }
}
