package rrunner.gateway.problem;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Container;
import rrunner.common.testing.RedisTestContainer;
import rrunner.gateway.testing.GatewayOnRealRedis;
import tools.jackson.databind.JsonNode;

/**
 * A Redis at its memory limit with {@code noeviction} refuses every write with an {@code OOM} error reply: the
 * gateway answers submissions with 503 and {@code Retry-After}, as for any Redis it can't use, not with a 500.
 */
@TestPropertySource(properties = "RUNNER_TOKEN=" + RedisOutOfMemoryIT.TOKEN)
class RedisOutOfMemoryIT extends GatewayOnRealRedis {

    static final String TOKEN = "oom-token";
    private static final String BODY = JSON.writeValueAsString(Map.of("script", "cat(1)"));

    @Container
    @ServiceConnection(name = "redis")
    static final GenericContainer<?> REDIS = RedisTestContainer.create();

    /** One byte: whatever Redis holds is over it, so every write is refused. */
    @BeforeEach
    void fillRedisToItsLimit() {
        redis.sync().configSet(Map.of("maxmemory-policy", "noeviction", "maxmemory", "1"));
    }

    @AfterEach
    void liftTheLimit() {
        redis.sync().configSet("maxmemory", "0");
    }

    @ParameterizedTest(name = "POST {0}, Accept: {1}")
    @CsvSource({"/run, application/json", "/run, application/x-ndjson", "/jobs, application/json"})
    void answers503WithRetryAfterAndATypedProblemWhenRedisRefusesWritesForMemory(String path, String accept) {
        JsonNode problem = JSON.readTree(client.post().uri(path).header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN)
                .accept(MediaType.parseMediaType(accept)).bodyValue(BODY).exchange()
                .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "30")
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(String.class).returnResult().getResponseBody());

        assertThat(problem.path("type").stringValue()).isEqualTo(ProblemType.JOB_STORE_FULL.uri().toString());
        assertThat(problem.path("detail").stringValue()).isEqualTo(
                "the job store is full and takes no new jobs; retry later");
        assertThat(redis.sync().llen(queue.keys().waiting())).isZero();
    }
}
