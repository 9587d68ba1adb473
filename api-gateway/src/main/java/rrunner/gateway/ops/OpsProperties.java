package rrunner.gateway.ops;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * How the gateway watches the queue and the workers (how often workers beat is shared with them:
 * {@link rrunner.common.redis.HeartbeatProperties}).
 *
 * @param pollInterval {@code OPS_POLL_INTERVAL}: how often the queue and worker gauges are read from Redis
 */
@Validated
@ConfigurationProperties("rrunner.ops")
public record OpsProperties(@NotNull Duration pollInterval) {

    @AssertTrue(message = "OPS_POLL_INTERVAL must be positive")
    public boolean isPollIntervalPositive() {
        return pollInterval == null || !(pollInterval.isNegative() || pollInterval.isZero());
    }
}
