package rrunner.common.queue;

import io.lettuce.core.api.reactive.RedisReactiveCommands;
import java.time.Duration;
import reactor.core.publisher.Mono;

/**
 * Lets an idle worker sleep until a job is enqueued. It blocks a Redis connection, so it needs one of its own,
 * never the connection shared with other commands.
 */
public final class WorkSignal {

    private final RedisReactiveCommands<String, String> blockingConnection;
    private final String[] signals;

    /** Wakes for jobs on the shared queue. */
    public WorkSignal(RedisKeys keys, RedisReactiveCommands<String, String> blockingConnection) {
        this(blockingConnection, keys.signal());
    }

    /** Wakes for a token on any of {@code signals} (signal lists of {@link RedisKeys}). */
    public WorkSignal(RedisReactiveCommands<String, String> blockingConnection, String... signals) {
        this.blockingConnection = blockingConnection;
        this.signals = signals.clone();
    }

    /**
     * Completes with true when a job was signalled, false when {@code timeout} passed first. The wait is cut to
     * half the connection's command timeout, which Lettuce applies to BLPOP like to any other command.
     */
    public Mono<Boolean> await(Duration timeout) {
        Duration commandTimeout = blockingConnection.getStatefulConnection().getTimeout();
        Duration wait = timeout.compareTo(commandTimeout.dividedBy(2)) < 0 ? timeout : commandTimeout.dividedBy(2);
        return blockingConnection.blpop(wait.toMillis() / 1000.0, signals)
                .map(kv -> true)
                .defaultIfEmpty(false);
    }
}
