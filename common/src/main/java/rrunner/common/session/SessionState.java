package rrunner.common.session;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import rrunner.common.job.WireNamed;

/**
 * Where a session is in its life. As with {@code JobState}, the allowed moves live in this one table, which the Lua
 * scripts enforce through the generated prelude.
 */
public enum SessionState implements WireNamed {
    /**
     * Created, or moving from a worker that shut down: waiting for a worker to start its container and R, and to
     * restore what it had saved, if it moves.
     */
    STARTING,
    READY,
    /** Running one exec; a second one is refused until it ends. */
    BUSY,
    /** Idle for longer than its TTL, or past its hard lifetime. */
    EXPIRED,
    DELETED,
    /** Its R or its worker is gone; the reason says which. */
    LOST;

    private static final Map<SessionState, Set<SessionState>> MOVES = Map.of(
            // why STARTING to BUSY: a session moved with an exec queued in it takes that exec on its new worker
            STARTING, EnumSet.of(READY, BUSY, DELETED, LOST),
            READY, EnumSet.of(BUSY, STARTING, EXPIRED, DELETED, LOST),
            BUSY, EnumSet.of(READY, STARTING, DELETED, LOST),
            EXPIRED, EnumSet.noneOf(SessionState.class),
            DELETED, EnumSet.noneOf(SessionState.class),
            LOST, EnumSet.noneOf(SessionState.class));

    /** The state every session starts in. */
    public static SessionState initial() {
        return STARTING;
    }

    public boolean isTerminal() {
        return MOVES.get(this).isEmpty();
    }

    public boolean canMoveTo(SessionState next) {
        return MOVES.get(this).contains(next);
    }

    public static SessionState fromWireName(String wireName) {
        return valueOf(wireName.toUpperCase(Locale.ROOT));
    }
}
