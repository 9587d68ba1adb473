package rrunner.gateway.ops;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;
import rrunner.common.queue.WorkerRegistry;

/**
 * How the gateway watches the queue and the workers.
 *
 * @param pollInterval {@code OPS_POLL_INTERVAL}: how often the queue and worker gauges are read from Redis
 * @param heartbeatInterval {@code WORKER_HEARTBEAT_INTERVAL}: how often workers send heartbeats; a worker
 *     counts as live for {@value WorkerRegistry#MISSED_BEATS} intervals after its last one, so the gateway must
 *     use the workers' value
 */
@Validated
@ConfigurationProperties("rrunner.ops")
public record OpsProperties(@NotNull Duration pollInterval, @NotNull Duration heartbeatInterval) {

    @AssertTrue(message = "OPS_POLL_INTERVAL must be positive")
    public boolean isPollIntervalPositive() {
        return pollInterval == null || !(pollInterval.isNegative() || pollInterval.isZero());
    }

    @AssertTrue(message = "WORKER_HEARTBEAT_INTERVAL must be positive")
    public boolean isHeartbeatIntervalPositive() {
        return heartbeatInterval == null || !(heartbeatInterval.isNegative() || heartbeatInterval.isZero());
    }

    /** How old a worker's last heartbeat may be for it to count as live. */
    public Duration workerMaxAge() {
        return WorkerRegistry.maxAge(heartbeatInterval);
    }
}
