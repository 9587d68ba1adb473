package rrunner.common.queue;

import io.github.resilience4j.core.IntervalFunction;
import java.time.Duration;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The queue's rules, shared by whoever enqueues, claims and rescues.
 *
 * @param maxAttempts claims that end without a result before a job fails
 * @param maxQueueDepth admission limit on waiting jobs; 0 means none
 * @param lease how long a claim lasts unless renewed
 * @param resultTtl how long a finished job and its events are kept
 * @param retryBackoff delay before attempt n+1 after attempt n ended without a result
 * @param eventsMaxLength approximate cap on one job's event stream
 */
public record QueuePolicy(
        int maxAttempts,
        int maxQueueDepth,
        Duration lease,
        Duration resultTtl,
        IntervalFunction retryBackoff,
        int eventsMaxLength) {

    public QueuePolicy {
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(resultTtl, "resultTtl");
        Objects.requireNonNull(retryBackoff, "retryBackoff");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
    }

    /** Backoff delays for attempts 1..maxAttempts, freshly randomised, in the form the Lua scripts read. */
    String backoffDelaysMillis() {
        return IntStream.rangeClosed(1, maxAttempts)
                .mapToObj(attempt -> Long.toString(retryBackoff.apply(attempt)))
                .collect(Collectors.joining(","));
    }
}
