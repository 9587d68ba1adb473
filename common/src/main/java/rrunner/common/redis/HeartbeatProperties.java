package rrunner.common.redis;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;
import rrunner.common.queue.WorkerRegistry;

/**
 * How often workers report themselves; one record for both apps, since a gateway reading heartbeats on another
 * rhythm than the workers send them would count live workers as gone.
 *
 * @param interval {@code WORKER_HEARTBEAT_INTERVAL}: how often a worker sends its heartbeat; it counts as gone after
 *     {@value WorkerRegistry#MISSED_BEATS} missed ones
 */
@Validated
@ConfigurationProperties("rrunner.heartbeat")
public record HeartbeatProperties(@NotNull Duration interval) {

    @AssertTrue(message = "WORKER_HEARTBEAT_INTERVAL must be positive")
    public boolean isIntervalPositive() {
        return interval == null || !(interval.isNegative() || interval.isZero());
    }

    /** How old a worker's last heartbeat may be for it to count as live. */
    public Duration workerMaxAge() {
        return WorkerRegistry.maxAge(interval);
    }
}
