package rrunner.gateway.ops;

import io.lettuce.core.api.reactive.RedisReactiveCommands;
import org.springframework.boot.health.contributor.AbstractReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import reactor.core.publisher.Mono;

/**
 * Pings Redis on the connection the gateway itself uses. Boot's own indicator would use a second connection
 * factory with Lettuce's 60 s default timeout; this one fails within {@code REDIS_COMMAND_TIMEOUT}, at once
 * while disconnected, and so says whether runs can be queued right now.
 */
public class RedisHealthIndicator extends AbstractReactiveHealthIndicator {

    private final RedisReactiveCommands<String, String> redis;

    public RedisHealthIndicator(RedisReactiveCommands<String, String> redis) {
        super("Redis health check failed");
        this.redis = redis;
    }

    @Override
    protected Mono<Health> doHealthCheck(Health.Builder builder) {
        return redis.ping().map(pong -> builder.up().build());
    }
}
