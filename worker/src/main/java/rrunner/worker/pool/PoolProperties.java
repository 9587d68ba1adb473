package rrunner.worker.pool;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * How many sandboxes a worker keeps prepared, and for how long.
 *
 * @param size {@code RUNNER_POOL_SIZE}: sandboxes kept ready while jobs come in; {@code -1} means the worker's
 *     concurrency (enough for a burst that fills every slot at once), {@code 0} turns the pool off
 * @param minIdle {@code RUNNER_POOL_MIN_IDLE}: sandboxes still kept ready once no job came for {@code maxIdle};
 *     never more than {@code size}
 * @param maxIdle {@code RUNNER_POOL_MAX_IDLE}: a sandbox no job took within this age is replaced, and a pool
 *     that handed none out for this long shrinks to {@code minIdle}
 */
@Validated
@ConfigurationProperties("rrunner.pool")
public record PoolProperties(
        @Min(-1) @Max(256) int size,
        @Min(0) @Max(256) int minIdle,
        @NotNull Duration maxIdle) {

    /** Shorter ages would mostly replace sandboxes before a job could take them. */
    @AssertTrue(message = "maxIdle must be at least 1s")
    public boolean isMaxIdleValid() {
        return maxIdle != null && maxIdle.compareTo(Duration.ofSeconds(1)) >= 0;
    }

    /** The number of sandboxes kept ready while jobs come in, for a worker running {@code concurrency} at once. */
    public int resolvedSize(int concurrency) {
        return size < 0 ? concurrency : size;
    }
}
