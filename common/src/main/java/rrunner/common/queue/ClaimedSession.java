package rrunner.common.queue;

import java.time.Instant;
import rrunner.common.session.SessionId;
import rrunner.common.session.SessionSpec;

/**
 * A session a worker took to start: it now lives on that worker, whose lane its execs are queued on.
 *
 * @param maxExpiresAt the hard end of its life, which its container's labels carry for the reaper
 * @param restore it moved from a worker that shut down, which saved it ({@link SessionStore#snapshot}): restore
 *     that before it is ready
 */
public record ClaimedSession(SessionId id, SessionSpec spec, Instant maxExpiresAt, boolean restore) {
}
