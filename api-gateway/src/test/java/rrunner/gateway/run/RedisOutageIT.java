package rrunner.gateway.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import rrunner.common.job.RunResult;
import rrunner.common.queue.JobQueue;
import rrunner.common.testing.RedisTestContainer;
import rrunner.gateway.testing.BlockHoundExtension;
import rrunner.gateway.testing.QueueWorkerStub;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A Redis that stops answering (paused, so connections hang rather than drop) makes runs fail fast with 503. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"RUNNER_TOKEN=" + RedisOutageIT.TOKEN, "REDIS_COMMAND_TIMEOUT=1s"})
@AutoConfigureWebTestClient(timeout = "30s")
@Testcontainers
@ExtendWith(BlockHoundExtension.class)
class RedisOutageIT {

    static final String TOKEN = "outage-token";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String RUN_BODY = JSON.writeValueAsString(Map.of("script", "cat(1)"));

    @Container
    @ServiceConnection(name = "redis")
    static final GenericContainer<?> REDIS = RedisTestContainer.create();

    @Autowired
    WebTestClient client;
    @Autowired
    JobQueue queue;

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
