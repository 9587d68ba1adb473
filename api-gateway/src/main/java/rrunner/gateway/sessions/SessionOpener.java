package rrunner.gateway.sessions;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import rrunner.common.queue.SessionStore;
import rrunner.common.queue.SessionStore.Condition;
import rrunner.common.redis.HeartbeatProperties;
import rrunner.common.session.SessionId;
import rrunner.common.session.SessionRecord;
import rrunner.common.session.SessionSpec;
import rrunner.common.session.SessionState;
import rrunner.gateway.problem.SessionProblems;

/**
 * Opens a session and waits until its R is ready or {@code SESSION_START_TIMEOUT} passes, for
 * {@code POST /sessions} and the MCP {@code create_session} tool alike.
 */
@Component
public class SessionOpener {

    /** A start that no worker took is usually a fleet with no room; one is freed in well under a minute. */
    private static final Duration NOT_STARTED_RETRY_AFTER = Duration.ofSeconds(5);

    private final SessionStore sessions;
    private final SessionStarts starts;
    private final SessionsProperties properties;
    private final HeartbeatProperties heartbeat;

    SessionOpener(SessionStore sessions, SessionStarts starts, SessionsProperties properties,
            HeartbeatProperties heartbeat) {
        this.sessions = sessions;
        this.starts = starts;
        this.properties = properties;
        this.heartbeat = heartbeat;
    }

    /**
     * {@code owner}'s new session once its R is ready, or still starting on a worker after {@code SESSION_START_TIMEOUT}; fails
     * with 503 for a session that ended while starting, or that no worker took, and as the spec's reading fails.
     */
    public Mono<SessionView> open(Mono<SessionSpec> asked, String owner) {
        SessionId id = SessionId.random();
        return asked.flatMap(spec -> sessions.open(id, owner, spec, properties.maxLifetime(),
                        properties.maxPerToken(), heartbeat.workerMaxAge()))
                .then(starts.awaitSettled(id).timeout(properties.startTimeout()))
                .onErrorResume(TimeoutException.class, e -> stillStarting(id, owner))
                .flatMap(session -> switch (session.state()) {
                    case READY, BUSY, STARTING -> Mono.just(SessionView.of(session));
                    default -> Mono.error(SessionProblems.notStarted(id.value(), session.reason(),
                            NOT_STARTED_RETRY_AFTER));
                });
    }

    /** A start no worker took is abandoned, in the step that checks, so a worker can't take it afterwards. */
    private Mono<SessionRecord> stillStarting(SessionId id, String owner) {
        return sessions.end(id, SessionState.LOST, "no worker started it within " + properties.startTimeout()
                        .toSeconds() + " s", Condition.UNCLAIMED, owner)
                .then(sessions.find(id));
    }
}
