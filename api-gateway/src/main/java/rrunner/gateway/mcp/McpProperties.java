package rrunner.gateway.mcp;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The bounds on the MCP sessions a gateway keeps in memory (the SDK's session state lives in the process).
 *
 * @param sessionIdleTimeout {@code MCP_SESSION_IDLE_TIMEOUT}: a session no request used for this long is dropped;
 *     its client gets 404 and initializes again, as the MCP spec asks of it
 * @param maxSessions {@code MCP_MAX_SESSIONS}: sessions one gateway holds; an initialize past it answers 503
 */
@Validated
@ConfigurationProperties("rrunner.mcp")
public record McpProperties(@NotNull Duration sessionIdleTimeout,
        @Min(value = 1, message = "MCP_MAX_SESSIONS must be at least 1") int maxSessions) {

    @AssertTrue(message = "MCP_SESSION_IDLE_TIMEOUT must be at least a second")
    public boolean isIdleTimeoutAtLeastASecond() {
        return sessionIdleTimeout == null || sessionIdleTimeout.toSeconds() >= 1;
    }
}
