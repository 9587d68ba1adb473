package rrunner.gateway.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.TestPropertySource;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Container;
import rrunner.common.job.RunResult;
import rrunner.common.testing.RedisTestContainer;
import rrunner.gateway.testing.GatewayOnRealRedis;
import rrunner.gateway.testing.QueueWorkerStub;
import tools.jackson.databind.JsonNode;

/** A Redis that stops answering (paused, so connections hang rather than drop) makes runs fail fast with 503. */
@TestPropertySource(properties = {"RUNNER_TOKEN=" + RedisOutageIT.TOKEN, "REDIS_COMMAND_TIMEOUT=1s"})
class RedisOutageIT extends GatewayOnRealRedis {

    static final String TOKEN = "outage-token";
    private static final String RUN_BODY = JSON.writeValueAsString(Map.of("script", "cat(1)"));

    @Container
    @ServiceConnection(name = "redis")
    static final GenericContainer<?> REDIS = RedisTestContainer.create();

    @AfterEach
    void resumeRedis() {
        if (REDIS.getDockerClient().inspectContainerCmd(REDIS.getContainerId()).exec().getState().getPaused()) {
            REDIS.getDockerClient().unpauseContainerCmd(REDIS.getContainerId()).exec();
        }
    }

    @Test
    void answers503WithRetryAfterWithinSecondsWhileRedisIsUnresponsive() {
        REDIS.getDockerClient().pauseContainerCmd(REDIS.getContainerId()).exec();
        long started = System.nanoTime();

        JsonNode problem = JSON.readTree(client.post().uri("/run").header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN)
                .bodyValue(RUN_BODY).exchange()
                .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectHeader().valueMatches(HttpHeaders.RETRY_AFTER, "\\d+")
                .expectBody(String.class).returnResult().getResponseBody());

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
        assertThat(problem.path("detail").stringValue()).isEqualTo("the job store is unavailable; retry later");
    }

    @Test
    void healthDoesNotDependOnRedis() {
        REDIS.getDockerClient().pauseContainerCmd(REDIS.getContainerId()).exec();

        client.get().uri("/health").exchange().expectStatus().isOk();
    }

    @Test
    void runsAgainOnceRedisAnswers() {
        REDIS.getDockerClient().pauseContainerCmd(REDIS.getContainerId()).exec();
        client.post().uri("/run").header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN).bodyValue(RUN_BODY)
                .exchange().expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        REDIS.getDockerClient().unpauseContainerCmd(REDIS.getContainerId()).exec();

        try (QueueWorkerStub worker = QueueWorkerStub.finishing(queue,
                script -> RunResult.ofScript(0, "back\n", "", List.of()))) {
            client.post().uri("/run").header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN).bodyValue(RUN_BODY)
                    .exchange().expectStatus().isOk();
        }
    }
}
