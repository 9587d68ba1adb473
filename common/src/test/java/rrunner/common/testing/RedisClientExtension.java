package rrunner.common.testing;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.containers.GenericContainer;

/**
 * A test class's own Lettuce client and connection to a Redis container: connected before the class's tests,
 * Redis emptied before each test unless made with {@link #keepingData}, closed after the class. Declare it on a
 * static field below the container's, in a class annotated {@code @Testcontainers}, which starts the container
 * before this connects:
 *
 * <pre>{@code
 * @Container
 * static final GenericContainer<?> REDIS = RedisTestContainer.create();
 * @RegisterExtension
 * static final RedisClientExtension CLIENT = RedisClientExtension.emptyingBeforeEach(REDIS);
 * }</pre>
 */
public final class RedisClientExtension implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

    private final GenericContainer<?> redis;
    private final boolean emptyBeforeEach;
    private RedisClient client;
    private StatefulRedisConnection<String, String> connection;

    private RedisClientExtension(GenericContainer<?> redis, boolean emptyBeforeEach) {
        this.redis = redis;
        this.emptyBeforeEach = emptyBeforeEach;
    }

    /** Each test starts on an empty Redis. */
    public static RedisClientExtension emptyingBeforeEach(GenericContainer<?> redis) {
        return new RedisClientExtension(redis, true);
    }

    /** Leaves Redis as the tests find it: for tests that read what an app under test keeps there. */
    public static RedisClientExtension keepingData(GenericContainer<?> redis) {
        return new RedisClientExtension(redis, false);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        client = RedisClient.create(RedisTestContainer.url(redis));
        connection = client.connect();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (emptyBeforeEach) {
            connection.sync().flushall();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        connection.close();
        client.shutdown();
    }

    /** The client, for connections of another kind (pub/sub) or a second one a test blocks on. */
    public RedisClient client() {
        return client;
    }

    public StatefulRedisConnection<String, String> connection() {
        return connection;
    }

    public RedisCommands<String, String> sync() {
        return connection.sync();
    }

    public RedisReactiveCommands<String, String> reactive() {
        return connection.reactive();
    }
}
