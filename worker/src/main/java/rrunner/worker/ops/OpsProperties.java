package rrunner.worker.ops;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;
import rrunner.common.queue.WorkerRegistry;

/**
 * How the worker reports itself.
 *
 * @param heartbeatInterval {@code WORKER_HEARTBEAT_INTERVAL}: how often the worker sends its heartbeat; it counts
 *     as gone after {@value WorkerRegistry#MISSED_BEATS} missed ones, so gateways must use the same value
 */
@Validated
@ConfigurationProperties("rrunner.ops")
public record OpsProperties(@DefaultValue("5s") @NotNull Duration heartbeatInterval) {

    @AssertTrue(message = "WORKER_HEARTBEAT_INTERVAL must be positive")
    public boolean isHeartbeatIntervalPositive() {
        return heartbeatInterval == null || !(heartbeatInterval.isNegative() || heartbeatInterval.isZero());
    }
}
