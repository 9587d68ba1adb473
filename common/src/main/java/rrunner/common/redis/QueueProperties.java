package rrunner.common.redis;

import io.github.resilience4j.core.IntervalFunction;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;
import rrunner.common.queue.QueuePolicy;
import rrunner.common.queue.RedisKeys;

/**
 * Queue settings; gateway and worker must agree on them, so both bind them from {@code rrunner/shared-settings.yaml}.
 *
 * @param keyPrefix {@code REDIS_KEY_PREFIX}: first word of every key, so several deployments can share a Redis
 * @param maxAttempts {@code MAX_ATTEMPTS}: claims that end without a result before a job fails
 * @param maxQueueDepth {@code MAX_QUEUE_DEPTH}: waiting jobs beyond which submissions get 429; 0 for none
 * @param lease {@code LEASE_DURATION}: how long a worker's claim lasts without renewal
 * @param leaseRenewInterval {@code LEASE_RENEW_INTERVAL}: how often a worker renews its claims
 * @param resultTtl {@code RESULT_TTL}: how long finished jobs, results and events are kept
 * @param retryInitialBackoff {@code RETRY_INITIAL_BACKOFF}: delay before the second attempt, doubling after
 * @param commandTimeout {@code REDIS_COMMAND_TIMEOUT}: how long any Redis command may take
 * @param eventsMaxLength {@code EVENTS_MAX_LENGTH}: approximate cap on one job's event stream
 */
@Validated
@ConfigurationProperties("rrunner.queue")
public record QueueProperties(
        @NotBlank @Pattern(regexp = "[A-Za-z0-9_.-]+") String keyPrefix,
        @Min(1) int maxAttempts,
        @Min(0) int maxQueueDepth,
        @NotNull Duration lease,
        @NotNull Duration leaseRenewInterval,
        @NotNull Duration resultTtl,
        @NotNull Duration retryInitialBackoff,
        @NotNull Duration commandTimeout,
        @Min(100) int eventsMaxLength) {

    private static final double BACKOFF_MULTIPLIER = 2.0;
    private static final double BACKOFF_RANDOMIZATION = 0.5;
    private static final Duration BACKOFF_MAX = Duration.ofSeconds(30);

    /** Redis expires keys in whole seconds, so a shorter TTL would be 0: results gone before anyone reads them. */
    @AssertTrue(message = "RESULT_TTL must be at least 1s")
    public boolean isResultTtlAtLeastASecond() {
        return resultTtl == null || resultTtl.compareTo(Duration.ofSeconds(1)) >= 0;
    }

    /** A lease must outlive a few missed renewals (a GC pause, a slow Redis) before its job is taken away. */
    @AssertTrue(message = "LEASE_DURATION must be at least 3 x LEASE_RENEW_INTERVAL")
    public boolean isLeaseAtLeastThreeRenewIntervals() {
        return lease == null || leaseRenewInterval == null
                || lease.compareTo(leaseRenewInterval.multipliedBy(3)) >= 0;
    }

    public RedisKeys keys() {
        return new RedisKeys(keyPrefix);
    }

    public QueuePolicy policy() {
        return new QueuePolicy(maxAttempts, maxQueueDepth, lease, resultTtl,
                IntervalFunction.ofExponentialRandomBackoff(retryInitialBackoff, BACKOFF_MULTIPLIER,
                        BACKOFF_RANDOMIZATION, BACKOFF_MAX),
                eventsMaxLength);
    }
}
