package rrunner.worker.consume;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import rrunner.common.queue.SessionStore;
import rrunner.common.session.FileReply;
import rrunner.common.session.FileReply.Outcome;
import rrunner.common.session.FileRequest;
import rrunner.common.session.SessionId;
import rrunner.worker.session.FileTooLargeException;
import rrunner.worker.session.HostedSession;
import rrunner.worker.session.HostedSessions;
import rrunner.worker.session.SessionSandbox;
import rrunner.worker.session.WorkspaceFullException;

/**
 * Answers the file requests queued for sessions on this worker: each is done in its session's sandbox, as the
 * sandbox user (never by Docker walking a path an R script may have made a symlink), and the reply is stored for
 * the gateway waiting on it. A request whose caller stopped waiting is dropped, so a write its caller was told had
 * failed is not done after all.
 */
public class SessionFileRequests {

    private static final Logger log = LoggerFactory.getLogger(SessionFileRequests.class);
    private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(10);

    private final SessionStore sessions;
    private final HostedSessions hosted;
    private final String workerId;

    public SessionFileRequests(SessionStore sessions, HostedSessions hosted, String workerId) {
        this.sessions = sessions;
        this.hosted = hosted;
        this.workerId = workerId;
    }

    /** The oldest request queued for this worker's sessions; empty when none waits. */
    public Optional<FileRequest> take() {
        return Optional.ofNullable(sessions.takeFileRequest(workerId).block(REDIS_TIMEOUT));
    }

    public void answer(FileRequest request) {
        if (Instant.now().isAfter(request.deadline())) {
            log.info("file request {} for session {} dropped: its caller stopped waiting", request.id(),
                    request.session());
            return;
        }
        Optional<HostedSession> session = hosted.get(new SessionId(request.session()));
        FileReply reply;
        try {
            reply = session.isEmpty()
                    ? FileReply.refused(Outcome.FAILED, "the session is no longer on worker " + workerId)
                    : perform(request, session.get().sandbox());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reply = FileReply.refused(Outcome.FAILED, "its worker is shutting down");
        }
        sessions.replyToFile(request, reply).block(REDIS_TIMEOUT);
    }

    private FileReply perform(FileRequest request, SessionSandbox sandbox) throws InterruptedException {
        try {
            return switch (request.action()) {
                case PUT -> {
                    sandbox.putFile(request.path(), request.content());
                    yield measured(request, sandbox, FileReply.done());
                }
                case GET -> {
                    Optional<byte[]> content = sandbox.readFile(request.path(), request.maxBytes());
                    yield content.isPresent() ? new FileReply(Outcome.DONE, "", content.get(), List.of())
                            : missing(request);
                }
                case DELETE -> sandbox.deleteFile(request.path()) ? measured(request, sandbox, FileReply.done())
                        : missing(request);
                case LIST -> new FileReply(Outcome.DONE, "", null, sandbox.listFiles());
            };
        } catch (IllegalArgumentException e) {
            return FileReply.refused(Outcome.INVALID, e.getMessage());
        } catch (FileTooLargeException e) {
            return FileReply.refused(Outcome.TOO_LARGE, e.getMessage());
        } catch (WorkspaceFullException e) {
            return FileReply.refused(Outcome.FULL, e.getMessage());
        } catch (RuntimeException e) {
            log.warn("file request {} for session {} failed: {}", request.id(), request.session(), e.toString());
            return FileReply.refused(Outcome.FAILED, "the session's sandbox failed: " + e.getMessage());
        }
    }

    /** A put or delete changes what the workspace holds, which the session's view reports. */
    private FileReply measured(FileRequest request, SessionSandbox sandbox, FileReply reply)
            throws InterruptedException {
        sessions.recordWorkspaceBytes(new SessionId(request.session()), sandbox.workspaceBytes())
                .block(REDIS_TIMEOUT);
        return reply;
    }

    private static FileReply missing(FileRequest request) {
        return FileReply.refused(Outcome.MISSING, "no file " + request.path() + " in the session's workspace");
    }
}
