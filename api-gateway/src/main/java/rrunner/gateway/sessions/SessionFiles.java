package rrunner.gateway.sessions;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
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
import rrunner.common.session.FileReply;
import rrunner.common.session.FileRequest;
import rrunner.common.session.SessionId;
import rrunner.gateway.completion.JobNoticeListener;

/**
 * Asks the worker a session lives on to act on its workspace, and waits for the reply it publishes: in-memory
 * waiters fed by the file-reply notices, so no Redis connection is held while a worker works.
 */
@Component
class SessionFiles implements JobNoticeListener {

    /** Longer than the worker's own 30 s bound on a workspace command, so a slow one still gets its answer out. */
    static final Duration REPLY_TIMEOUT = Duration.ofSeconds(40);

    private static final Logger LOG = LoggerFactory.getLogger(SessionFiles.class);

    private final SessionStore sessions;
    private final ConcurrentMap<String, Sinks.One<FileReply>> waiters = new ConcurrentHashMap<>();

    SessionFiles(SessionStore sessions) {
        this.sessions = sessions;
    }

    /**
     * The worker's reply to {@code action} on {@code path}; fails with {@code SessionRefusedException} when the
     * session is not {@code owner}'s, ended or still starting, and with a {@code TimeoutException} after
     * {@link #REPLY_TIMEOUT}.
     */
    Mono<FileReply> ask(SessionId session, String owner, FileRequest.Action action, String path,
            byte[] content, long maxBytes) {
        FileRequest request = new FileRequest(UUID.randomUUID().toString(), session.value(), action, path,
                content, maxBytes, Instant.now().plus(REPLY_TIMEOUT));
        // why register before sending: the reply can be published before the send's own reply reaches us
        return Mono.using(() -> waiters.computeIfAbsent(request.id(), key -> Sinks.one()),
                sink -> sessions.requestFile(request, owner).then(sink.asMono()).timeout(REPLY_TIMEOUT),
                sink -> waiters.remove(request.id()));
    }

    @Override
    public void fileReplied(String requestId) {
        Sinks.One<FileReply> sink = waiters.get(requestId);
        if (sink != null) {
            sessions.fileReply(requestId).subscribeOn(Schedulers.parallel())
                    .subscribe(sink::tryEmitValue, e -> LOG.warn("Could not read the reply to file request {}: {}",
                            requestId, e.toString()));
        }
    }

    @Override
    public void finished(JobId id) {
    }

    /** Replies published while the subscription was down were lost, but their values are stored: read them. */
    @Override
    public void resubscribed() {
        waiters.keySet().forEach(this::fileReplied);
    }
}
