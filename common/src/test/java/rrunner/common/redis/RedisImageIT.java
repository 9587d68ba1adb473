package rrunner.common.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import rrunner.common.testing.RedisClientExtension;
import rrunner.common.testing.RedisTestContainer;

/** The r-runner-redis image as built by images/build.sh, started with nothing but its own command. */
@Testcontainers
class RedisImageIT {

    @Container
    static final GenericContainer<?> REDIS = RedisTestContainer.create();
    @RegisterExtension
    static final RedisClientExtension REDIS_CLIENT = RedisClientExtension.keepingData(REDIS);

    @Test
    void capsMemoryAndNeverEvictsQueueState() {
        Map<String, String> config = REDIS_CLIENT.sync().configGet("maxmemory", "maxmemory-policy");

        assertThat(config).containsEntry("maxmemory-policy", "noeviction");
        assertThat(Long.parseLong(config.get("maxmemory"))).isEqualTo(1024L * 1024 * 1024);
    }
}
