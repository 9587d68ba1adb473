package rrunner.gateway.sessions;

import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import rrunner.common.queue.SessionStore;
import rrunner.common.queue.SessionStore.Condition;
import rrunner.common.session.SessionState;

/** Ends a session at its owner's request, for {@code DELETE /sessions/{id}} and the MCP {@code close_session}. */
@Component
public class SessionCloser {

    private final SessionStore sessions;
    private final SessionLookup lookup;

    SessionCloser(SessionStore sessions, SessionLookup lookup) {
        this.sessions = sessions;
        this.lookup = lookup;
    }

    /** Completes once it ended; fails with 410 saying why for one that had ended already, 404 when unknown. */
    public Mono<Void> close(String id, String owner) {
        return SessionLookup.parse(id).flatMap(session -> sessions.end(session, SessionState.DELETED,
                        "deleted by its owner", Condition.ALWAYS, owner)
                .map(left -> Boolean.TRUE)
                // why: it had ended already, which the id's 410 says with the reason
                .switchIfEmpty(Mono.defer(() -> lookup.live(id, owner).map(still -> Boolean.TRUE))))
                .then();
    }
}
