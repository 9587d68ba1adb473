package rrunner.gateway.sessions;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * @param ttl {@code SESSION_TTL}: a session's idle time to live when the request names none
 * @param maxTtl {@code SESSION_MAX_TTL}: the most {@code ttl_seconds} may ask for; more is refused, never clamped
 * @param maxLifetime {@code SESSION_MAX_LIFETIME}: how long a session may live at all, however busy
 * @param maxPerToken {@code SESSION_MAX_PER_TOKEN}: live sessions one caller may hold
 * @param startTimeout {@code SESSION_START_TIMEOUT}: how long {@code POST /sessions} waits for the session's R
 */
@Validated
@ConfigurationProperties("rrunner.sessions")
public record SessionsProperties(@NotNull Duration ttl, @NotNull Duration maxTtl, @NotNull Duration maxLifetime,
        @Min(0) int maxPerToken, @NotNull Duration startTimeout) {

    @AssertTrue(message = "SESSION_TTL must be at least a second and at most SESSION_MAX_TTL, which must be at most "
            + "SESSION_MAX_LIFETIME")
    public boolean isOrdered() {
        return ttl == null || maxTtl == null || maxLifetime == null
                || ttl.toSeconds() >= 1 && ttl.compareTo(maxTtl) <= 0 && maxTtl.compareTo(maxLifetime) <= 0;
    }

    @AssertTrue(message = "SESSION_START_TIMEOUT must be positive")
    public boolean isStartTimeoutPositive() {
        return startTimeout == null || !(startTimeout.isNegative() || startTimeout.isZero());
    }
}
