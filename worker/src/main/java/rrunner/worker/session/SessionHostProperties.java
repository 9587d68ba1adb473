package rrunner.worker.session;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;
import rrunner.worker.sandbox.SandboxProperties;

/**
 * How this worker hosts sessions.
 *
 * @param maxSessions {@code WORKER_MAX_SESSIONS}: sessions it holds at once, each a live container with its own
 *     memory limit; 0 hosts none
 * @param checkInterval {@code SESSION_CHECK_INTERVAL}: how often it looks for its sessions that expired, were
 *     deleted, or whose R died, and removes their containers
 * @param moveMaxSize {@code SESSION_MOVE_MAX_SIZE}: the most a session saved on shutdown may take in Redis (its
 *     workspace archive, objects included); a larger one ends lost
 * @param moveTimeout {@code SESSION_MOVE_TIMEOUT}: how long a saved session waits for another worker to restore
 *     it before it ends lost
 */
@Validated
@ConfigurationProperties("rrunner.sessions")
public record SessionHostProperties(@Min(0) int maxSessions, @NotNull Duration checkInterval,
        @NotNull DataSize moveMaxSize, @NotNull Duration moveTimeout) {

    /**
     * These settings as a worker whose sandboxes use {@code sandbox}'s container runtime applies them: sessions only
     * under Docker's default runtime (runc). Under gVisor ({@code runsc}) on the build machines, a session's sandbox
     * that served several {@code docker exec}s died on its own (runsc's {@code WaitPID} failing) or lost an exec
     * to an interrupt it never answered, as the warm pool's did ({@code SandboxPreparer#canPrepare}); a session
     * that vanishes under an analyst is worse than none, so such a worker hosts none until that is shown to hold.
     */
    public SessionHostProperties under(SandboxProperties sandbox) {
        boolean runc = sandbox.runtime().isBlank() || sandbox.runtime().equals("runc");
        return runc ? this : new SessionHostProperties(0, checkInterval, moveMaxSize, moveTimeout);
    }

    @AssertTrue(message = "SESSION_MOVE_MAX_SIZE and SESSION_MOVE_TIMEOUT must be positive")
    public boolean isMovePositive() {
        return moveMaxSize == null || moveTimeout == null
                || moveMaxSize.toBytes() > 0 && !(moveTimeout.isNegative() || moveTimeout.isZero());
    }

    @AssertTrue(message = "SESSION_CHECK_INTERVAL must be positive")
    public boolean isCheckIntervalPositive() {
        return checkInterval == null || !(checkInterval.isNegative() || checkInterval.isZero());
    }
}
