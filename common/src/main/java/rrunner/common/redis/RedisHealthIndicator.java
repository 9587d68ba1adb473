package rrunner.common.redis;

import io.lettuce.core.api.reactive.RedisReactiveCommands;
import org.springframework.boot.health.contributor.AbstractReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import reactor.core.publisher.Mono;

/**
 * Pings Redis on the connection the app itself uses, so it fails within {@code REDIS_COMMAND_TIMEOUT}, at once while
 * disconnected, and says whether jobs can be queued or claimed right now. (Boot's own indicator would need its
 * connection factory, with Lettuce's 60 s default timeout.)
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
