package rrunner.gateway.sessions;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import rrunner.common.job.JobId;
import rrunner.common.queue.SessionStore;
import rrunner.common.session.SessionId;
import rrunner.common.session.SessionRecord;
import rrunner.common.session.SessionState;
import rrunner.gateway.completion.JobNoticeListener;

/**
 * In-memory waiters for sessions to leave {@code starting}, fed by the session notices workers publish when a
 * session becomes ready or ends; no Redis connection is held while waiting.
 */
@Component
class SessionStarts implements JobNoticeListener {

    private static final Logger LOG = LoggerFactory.getLogger(SessionStarts.class);

    private final SessionStore sessions;
    private final ConcurrentMap<SessionId, Sinks.One<SessionRecord>> waiters = new ConcurrentHashMap<>();

    SessionStarts(SessionStore sessions) {
        this.sessions = sessions;
    }

    /** The session once it is no longer starting; never completes while it starts, so callers add a timeout. */
    Mono<SessionRecord> awaitSettled(SessionId id) {
        // why register before reading: a notice published between the read and the registration would be missed
        return Mono.using(() -> waiters.computeIfAbsent(id, key -> Sinks.one()),
                sink -> refresh(id).then(sink.asMono()), sink -> waiters.remove(id));
    }

    @Override
    public void sessionChanged(SessionId id) {
        if (waiters.containsKey(id)) {
            refresh(id).subscribeOn(Schedulers.parallel())
                    .subscribe(null, e -> LOG.warn("Could not read session {}: {}", id, e.toString()));
        }
    }

    @Override
    public void finished(JobId id) {
    }

    @Override
    public void resubscribed() {
        waiters.keySet().forEach(this::sessionChanged);
    }

    private Mono<Void> refresh(SessionId id) {
        return sessions.find(id)
                .filter(session -> session.state() != SessionState.STARTING)
                .doOnNext(session -> {
                    Sinks.One<SessionRecord> sink = waiters.get(id);
                    if (sink != null) {
                        sink.tryEmitValue(session);
                    }
                })
                .then();
    }
}
