package rrunner.gateway.testing;

import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.testcontainers.containers.GenericContainer;
import rrunner.common.testing.RedisTestContainer;

/**
 * {@link GatewayOnRealRedis} on the one Redis all such test classes share ({@link RedisTestContainer#shared()}),
 * for tests that only read and write data: they never pause, stop or reconfigure Redis, and the Redis is emptied
 * before each test, so sharing it changes nothing but the time spent starting containers.
 */
public abstract class GatewayOnSharedRedis extends GatewayOnRealRedis {

    @ServiceConnection(name = "redis")
    private static final GenericContainer<?> REDIS = RedisTestContainer.shared();
}
