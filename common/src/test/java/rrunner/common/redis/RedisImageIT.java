package rrunner.common.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import rrunner.common.testing.RedisTestContainer;

/** The r-runner-redis image as built by images/build.sh, started with nothing but its own command. */
@Testcontainers
class RedisImageIT {

    @Container
    static final GenericContainer<?> REDIS = RedisTestContainer.create();

    @Test
    void capsMemoryAndNeverEvictsQueueState() {
        RedisClient client = RedisClient.create(RedisTestContainer.url(REDIS));
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            Map<String, String> config = connection.sync().configGet("maxmemory", "maxmemory-policy");

            assertThat(config).containsEntry("maxmemory-policy", "noeviction");
            assertThat(Long.parseLong(config.get("maxmemory"))).isEqualTo(1024L * 1024 * 1024);
        } finally {
            client.shutdown();
        }
    }
}
