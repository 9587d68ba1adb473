package rrunner.worker.session;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * How this worker hosts sessions.
 *
 * @param maxSessions {@code WORKER_MAX_SESSIONS}: sessions it holds at once, each a live container with its own
 *     memory limit; 0 hosts none
 * @param checkInterval {@code SESSION_CHECK_INTERVAL}: how often it looks for its sessions that expired, were
 *     deleted, or whose R died, and removes their containers
 */
@Validated
@ConfigurationProperties("rrunner.sessions")
public record SessionHostProperties(@Min(0) int maxSessions, @NotNull Duration checkInterval) {

    @AssertTrue(message = "SESSION_CHECK_INTERVAL must be positive")
    public boolean isCheckIntervalPositive() {
        return checkInterval == null || !(checkInterval.isNegative() || checkInterval.isZero());
    }
}
