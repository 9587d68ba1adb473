package rrunner.gateway.sessions;

import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import rrunner.common.queue.SessionStore;
import rrunner.common.session.SessionId;
import rrunner.common.session.SessionRecord;
import rrunner.common.session.SessionRefusedException;
import rrunner.gateway.problem.SessionProblems;

/** Finds the caller's session by the id it sent, refusing as every session endpoint and tool does. */
@Component
public class SessionLookup {

    private final SessionStore sessions;

    SessionLookup(SessionStore sessions) {
        this.sessions = sessions;
    }

    /** {@code owner}'s session while it lives; 410 once it ended, 404 when unknown, malformed or another's. */
    public Mono<SessionRecord> live(String id, String owner) {
        return parse(id).flatMap(session -> sessions.findOwned(session, owner)
                .switchIfEmpty(Mono.error(() -> SessionRefusedException.notFound(session))))
                .flatMap(session -> session.state().isTerminal()
                        ? Mono.error(SessionRefusedException.ended(session.id(), session.state(), session.reason()))
                        : Mono.just(session));
    }

    /** The id, or 404 for one that could not name a session. */
    public static Mono<SessionId> parse(String id) {
        return SessionId.isWellFormed(id) ? Mono.just(new SessionId(id))
                : Mono.error(SessionProblems.notFound(id));
    }
}
