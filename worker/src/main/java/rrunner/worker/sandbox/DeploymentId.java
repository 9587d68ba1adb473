package rrunner.worker.sandbox;

import io.lettuce.core.SetArgs;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import java.time.Duration;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import rrunner.common.queue.RedisKeys;

/**
 * The id of the deployment a worker serves, kept in that deployment's Redis: the first worker makes it, the others
 * read it. It goes on every sandbox's {@code rrunner.deployment} label, so two deployments sharing a Docker engine
 * (compose beside the run command, staging beside production) never take each other's containers for their own,
 * even with the same key prefix. Each worker writes its id back if Redis lost it (a restart without data, a flush),
 * so the deployment keeps its id while any of its workers lives.
 */
public final class DeploymentId {

    private static final Logger log = LoggerFactory.getLogger(DeploymentId.class);
    private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(10);

    private final RedisKeys keys;
    private final RedisReactiveCommands<String, String> redis;
    private final String value;

    private DeploymentId(RedisKeys keys, RedisReactiveCommands<String, String> redis, String value) {
        this.keys = keys;
        this.redis = redis;
        this.value = value;
    }

    /**
     * Reads the deployment's id, making it if this is the deployment's first worker.
     *
     * @throws IllegalStateException Redis did not answer: without the id no sandbox can be labelled
     */
    public static DeploymentId claim(RedisKeys keys, RedisReactiveCommands<String, String> redis) {
        String made = keys.prefix() + "-" + UUID.randomUUID().toString().substring(0, 13);
        try {
            String value = redis.set(keys.deployment(), made, SetArgs.Builder.nx())
                    .then(redis.get(keys.deployment()))
                    .block(REDIS_TIMEOUT);
            if (value == null) {
                throw new IllegalStateException("Redis returned no deployment id at " + keys.deployment());
            }
            return new DeploymentId(keys, redis, value);
        } catch (RuntimeException e) {
            throw new IllegalStateException("could not read this deployment's id from Redis (" + keys.deployment()
                    + "); the worker needs Redis to start: " + e.getMessage(), e);
        }
    }

    public String value() {
        return value;
    }

    /** Writes the id back if Redis lost it; warns if another id took its place meanwhile. */
    public void reassert() {
        try {
            String stored = redis.set(keys.deployment(), value, SetArgs.Builder.nx())
                    .then(redis.get(keys.deployment()))
                    .block(REDIS_TIMEOUT);
            if (!value.equals(stored)) {
                log.warn("Redis names deployment {} at {}, this worker labels its sandboxes {}: it was started "
                        + "before Redis lost its data; restart it to join the new id", stored, keys.deployment(),
                        value);
            }
        } catch (RuntimeException e) {
            log.warn("could not check the deployment id in Redis: {}", e.toString());
        }
    }
}
