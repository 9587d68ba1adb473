package rrunner.common.session;

/**
 * Why a session operation was refused, as Redis decided it in the same step that checked: the gateway maps each
 * kind onto its problem.
 */
public final class SessionRefusedException extends RuntimeException {

    /** What stood in the way. */
    public enum Kind {
        /** No such session for this caller (never existed, another owner's, or forgotten since it ended). */
        NOT_FOUND,
        /** It ended; {@link #state()} and {@link #reason()} say how. */
        ENDED,
        /** It is starting or running another exec. */
        BUSY,
        /** The caller has as many live sessions as it may. */
        OWNER_LIMIT,
        /** Every live worker holds as many sessions as it may. */
        FLEET_LIMIT,
        /** The worker it lives on has as many file requests waiting as it may; {@link #limit()} says how many. */
        FILES_BACKLOG
    }

    private final Kind kind;
    private final SessionId session;
    private final SessionState state;
    private final String reason;
    private final long limit;
    private final long current;

    private SessionRefusedException(Kind kind, SessionId session, SessionState state, String reason, long limit,
            long current) {
        super(kind + (session == null ? "" : " " + session) + (state == null ? "" : " (" + state.wireName() + ")")
                + (reason == null ? "" : ": " + reason));
        this.kind = kind;
        this.session = session;
        this.state = state;
        this.reason = reason;
        this.limit = limit;
        this.current = current;
    }

    public static SessionRefusedException notFound(SessionId session) {
        return new SessionRefusedException(Kind.NOT_FOUND, session, null, null, 0, 0);
    }

    public static SessionRefusedException ended(SessionId session, SessionState state, String reason) {
        return new SessionRefusedException(Kind.ENDED, session, state, reason, 0, 0);
    }

    public static SessionRefusedException busy(SessionId session, SessionState state) {
        return new SessionRefusedException(Kind.BUSY, session, state, null, 0, 0);
    }

    public static SessionRefusedException filesBacklog(SessionId session, long limit) {
        return new SessionRefusedException(Kind.FILES_BACKLOG, session, null, null, limit, limit);
    }

    public static SessionRefusedException overLimit(Kind kind, long limit, long current) {
        return new SessionRefusedException(kind, null, null, null, limit, current);
    }

    public Kind kind() {
        return kind;
    }

    /** The session refused; null for a cap on opening one. */
    public SessionId session() {
        return session;
    }

    public SessionState state() {
        return state;
    }

    public String reason() {
        return reason;
    }

    public long limit() {
        return limit;
    }

    public long current() {
        return current;
    }
}
