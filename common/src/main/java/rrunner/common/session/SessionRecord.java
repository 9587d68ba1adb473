package rrunner.common.session;

import java.time.Instant;

/**
 * A session as stored.
 *
 * @param owner who opened it; only the owner sees it
 * @param expiresAt when it expires unless used or kept alive; never after {@code maxExpiresAt}
 * @param worker the worker it lives on; null while no worker has taken it
 * @param imageId the image its container runs; null until it is ready
 * @param reason why it ended; null while it lives
 * @param currentJob the exec running or waiting in it; null when idle
 */
public record SessionRecord(SessionId id, String owner, SessionState state, SessionSpec spec, Instant createdAt,
        Instant lastUsedAt, Instant expiresAt, Instant maxExpiresAt, long execCount, long workspaceBytes,
        String worker, String imageId, String reason, Instant endedAt, String currentJob) {
}
