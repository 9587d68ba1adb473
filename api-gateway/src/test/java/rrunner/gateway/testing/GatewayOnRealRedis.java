package rrunner.gateway.testing;

import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.testcontainers.junit.jupiter.Testcontainers;
import rrunner.common.queue.JobQueue;
import rrunner.gateway.completion.CompletionWaiters;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole gateway on a random port against a real Redis, with BlockHound watching for blocking calls, and Redis
 * emptied before each test. A subclass that pauses, stops or reconfigures Redis declares its own container (a
 * {@code @Container @ServiceConnection(name = "redis")} static field), so it never touches another class's; all
 * others extend {@link GatewayOnSharedRedis}. Each adds its settings with {@code @TestPropertySource}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "30s")
@Testcontainers
@ExtendWith(BlockHoundExtension.class)
public abstract class GatewayOnRealRedis {

    protected static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    protected int port;
    @Autowired
    protected WebTestClient client;
    @Autowired
    protected JobQueue queue;
    @Autowired
    protected CompletionWaiters waiters;
    @Autowired
    protected StatefulRedisConnection<String, String> redis;

    @BeforeEach
    void emptyRedis() {
        redis.sync().flushdb();
    }
}
