package rrunner.common.queue;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import java.time.Duration;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * Each tenant's {@code requests_per_minute} as a token bucket in Redis: one Lua step takes a token, so every gateway
 * shares one count and a burst of a minute's requests goes through at once, then one per {@code 60 s / rate}.
 */
public final class RequestBuckets {

    private final RedisKeys keys;
    private final RedisReactiveCommands<String, String> redis;
    private final LuaScript take;

    public RequestBuckets(RedisKeys keys, RedisReactiveCommands<String, String> redis) {
        this.keys = keys;
        this.redis = redis;
        this.take = LuaScript.load("take_request", keys);
    }

    /** Takes a token from {@code tenant}'s bucket of {@code perMinute} (at least 1). */
    public Mono<Take> take(String tenant, int perMinute) {
        if (perMinute < 1) {
            return Mono.error(new IllegalArgumentException("perMinute must be at least 1"));
        }
        return take.<List<Object>>run(redis, ScriptOutputType.MULTI, new String[] {keys.requestBucket(tenant)},
                        Integer.toString(perMinute))
                .next()
                .map(reply -> new Take((Long) reply.get(0) == 1, (Long) reply.get(1),
                        reply.size() > 2 ? Duration.ofMillis((Long) reply.get(2)) : Duration.ZERO));
    }

    /**
     * One request's answer from the bucket.
     *
     * @param allowed whether the request may go
     * @param used how many of the last minute's requests the bucket counts as spent
     * @param retryAfter how long until the next token; zero when allowed
     */
    public record Take(boolean allowed, long used, Duration retryAfter) {
    }
}
