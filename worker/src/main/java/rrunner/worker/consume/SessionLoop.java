package rrunner.worker.consume;

import com.github.dockerjava.api.DockerClient;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import rrunner.common.environment.Environment;
import rrunner.common.environment.Environments;
import rrunner.common.queue.ClaimedJob;
import rrunner.common.queue.ClaimedSession;
import rrunner.common.queue.JobQueue;
import rrunner.common.queue.SessionStore;
import rrunner.common.queue.WorkSignal;
import rrunner.common.session.SessionRecord;
import rrunner.common.session.SessionState;
import rrunner.worker.images.ImagePuller;
import rrunner.worker.sandbox.SandboxOwner;
import rrunner.worker.sandbox.SandboxProperties;
import rrunner.worker.session.HostedSession;
import rrunner.worker.session.HostedSessions;
import rrunner.worker.session.SessionHostProperties;
import rrunner.worker.session.SessionNotMovableException;
import rrunner.worker.session.SessionSandbox;

/**
 * Hosts sessions on this worker: takes the execs and file requests queued on its own lane (first: their callers
 * wait) and, while it has room, sessions waiting to start; and every {@code SESSION_CHECK_INTERVAL} removes the
 * containers of its sessions that expired, were deleted or whose R died, and measures the workspace of idle sessions
 * whose execs may have changed it. One thread claims; opens and execs run on a pool sized by
 * {@code WORKER_MAX_SESSIONS}, so Docker's blocking calls never hold up a claim. On shutdown every session here is
 * saved for another worker to restore (or ends as lost, saying why), and its container is removed.
 */
public class SessionLoop implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SessionLoop.class);
    private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration STOP_WAIT = Duration.ofSeconds(30);

    private final JobQueue queue;
    private final SessionStore sessions;
    private final HostedSessions hosted;
    private final SessionExecution execution;
    private final SessionFileRequests files;
    private final ActiveJobs active;
    private final WorkSignal execSignal;
    private final WorkSignal execOrOpenSignal;
    private final Starter starter;
    private final String workerId;
    private final SessionHostProperties settings;
    private final Duration pollInterval;
    private final ExecutorService executor;
    private final AtomicInteger opening = new AtomicInteger();
    private volatile boolean running;
    private Thread loop;
    private long nextCheck;

    /** What a session needs to start here: its environment's image, and the sandbox made from it. */
    public record Starter(DockerClient docker, SandboxProperties sandbox, Environments environments,
            ImagePuller puller, SandboxOwner owner) {
    }

    public SessionLoop(JobQueue queue, SessionStore sessions, HostedSessions hosted, SessionExecution execution,
            SessionFileRequests files, ActiveJobs active, WorkSignal execSignal, WorkSignal execOrOpenSignal, Starter starter, String workerId,
            SessionHostProperties settings, Duration pollInterval) {
        this.queue = queue;
        this.sessions = sessions;
        this.hosted = hosted;
        this.execution = execution;
        this.files = files;
        this.active = active;
        this.execSignal = execSignal;
        this.execOrOpenSignal = execOrOpenSignal;
        this.starter = starter;
        this.workerId = workerId;
        this.settings = settings;
        this.pollInterval = pollInterval;
        // why twice the sessions: each may run one exec while as many others start
        this.executor = Executors.newFixedThreadPool(Math.max(1, 2 * settings.maxSessions()),
                new CustomizableThreadFactory("session-"));
    }

    @Override
    public void start() {
        if (settings.maxSessions() == 0) {
            log.info("worker {} hosts no sessions (WORKER_MAX_SESSIONS=0, or a container runtime other than runc)",
                    workerId);
            return;
        }
        running = true;
        loop = new Thread(this::claimWhileRunning, "session-loop");
        loop.start();
        log.info("worker {} hosts up to {} sessions", workerId, settings.maxSessions());
    }

    private void claimWhileRunning() {
        while (running) {
            try {
                boolean took = takeExec() | takeFileRequest() | takeOpen();
                if (System.nanoTime() - nextCheck >= 0) {
                    check();
                    nextCheck = System.nanoTime() + settings.checkInterval().toNanos();
                }
                if (!took) {
                    Duration wait = pollInterval.compareTo(settings.checkInterval()) < 0 ? pollInterval
                            : settings.checkInterval();
                    // why two signals: a full worker must not swallow the token that would wake one with room
                    (hasRoom() ? execOrOpenSignal : execSignal).await(wait).block();
                }
            } catch (RuntimeException e) {
                if (running) {
                    log.warn("session loop: {}; trying again in {}", e.toString(), pollInterval);
                    pause();
                }
            }
        }
    }

    private boolean takeExec() {
        long sentAt = System.nanoTime();
        ClaimedJob claim = queue.claimSessionExec(workerId).block(REDIS_TIMEOUT);
        if (claim == null) {
            return false;
        }
        ActiveJob job = active.add(claim, sentAt);
        executor.execute(() -> execution.execute(job));
        return true;
    }

    private boolean takeFileRequest() {
        return files.take().map(request -> {
            executor.execute(() -> files.answer(request));
            return true;
        }).orElse(false);
    }

    private boolean hasRoom() {
        return hosted.size() + opening.get() < settings.maxSessions();
    }

    private boolean takeOpen() {
        if (!hasRoom()) {
            return false;
        }
        ClaimedSession claimed = sessions.claimOpen(workerId).block(REDIS_TIMEOUT);
        if (claimed == null) {
            return false;
        }
        opening.incrementAndGet();
        executor.execute(() -> {
            try {
                open(claimed);
            } finally {
                opening.decrementAndGet();
            }
        });
        return true;
    }

    private void open(ClaimedSession claimed) {
        SessionSandbox sandbox = null;
        try {
            Environment environment = starter.environments().find(claimed.spec().environment())
                    .orElseThrow(() -> new IllegalStateException("environment " + claimed.spec().environment()
                            + " is not served here"));
            starter.puller().ensure(environment.image());
            sandbox = SessionSandbox.open(starter.docker(), starter.sandbox(), environment, claimed.spec().limits(),
                    claimed.id().value(), claimed.maxExpiresAt(), starter.owner());
            if (claimed.restore()) {
                restore(claimed, sandbox);
            }
            hosted.add(new HostedSession(claimed.id(), claimed.spec(), sandbox));
            if (!Boolean.TRUE.equals(sessions.ready(claimed.id(), workerId, sandbox.imageId()).block(REDIS_TIMEOUT))) {
                log.info("session {} ended while it started; removing its container", claimed.id());
                hosted.remove(claimed.id());
                sandbox.close();
                return;
            }
            log.info("session {} ready in {}", claimed.id(), sandbox.containerId());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abandon(claimed, sandbox, "its worker stopped while it started");
        } catch (SessionNotMovableException e) {
            abandon(claimed, sandbox, "it could not be restored on worker " + workerId + ": " + e.getMessage());
        } catch (RuntimeException e) {
            abandon(claimed, sandbox, "its sandbox could not start: " + e.getMessage());
        }
    }

    private void restore(ClaimedSession claimed, SessionSandbox sandbox) throws InterruptedException {
        byte[] snapshot = sessions.snapshot(claimed.id()).block(REDIS_TIMEOUT);
        if (snapshot == null) {
            throw new SessionNotMovableException("what its old worker saved is gone from Redis");
        }
        sandbox.restore(snapshot);
        log.info("session {} restored from {} bytes its old worker saved", claimed.id(), snapshot.length);
    }

    private void abandon(ClaimedSession claimed, SessionSandbox sandbox, String reason) {
        log.warn("session {} not started: {}", claimed.id(), reason);
        hosted.remove(claimed.id());
        if (sandbox != null) {
            sandbox.close();
        }
        try {
            sessions.endOnWorker(claimed.id(), workerId, reason).block(REDIS_TIMEOUT);
        } catch (RuntimeException e) {
            log.warn("could not end session {}; the rescuer will once this worker is gone: {}", claimed.id(),
                    e.toString());
        }
    }

    /**
     * Ends what should end: an idle session past its expiry; forgets one that ended elsewhere (deleted) or that
     * Redis lost; and ends one whose R died while idle. Each such session's container is removed.
     */
    private void check() {
        for (HostedSession session : hosted.all()) {
            SessionState expired = sessions.end(session.id(), SessionState.EXPIRED, "", SessionStore.Condition.IDLE,
                    null).block(REDIS_TIMEOUT);
            if (expired != null) {
                remove(session, "expired");
                continue;
            }
            SessionRecord stored = sessions.find(session.id()).block(REDIS_TIMEOUT);
            if (stored == null || stored.state().isTerminal()) {
                remove(session, stored == null ? "forgotten by Redis" : stored.state().wireName());
            } else if (!session.busy() && !session.sandbox().alive()) {
                sessions.endOnWorker(session.id(), workerId, "its R exited").block(REDIS_TIMEOUT);
                remove(session, "lost");
            } else if (!session.busy() && session.takeWorkspaceChange()) {
                executor.execute(() -> measureWorkspace(session));
            }
        }
    }

    /**
     * Records what an idle session's files occupy, once after its execs changed them: at most once per
     * {@code SESSION_CHECK_INTERVAL} per session, never in an exec's path.
     */
    private void measureWorkspace(HostedSession session) {
        try {
            sessions.recordWorkspaceBytes(session.id(), session.sandbox().workspaceBytes()).block(REDIS_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.warn("could not measure the workspace of session {}: {}", session.id(), e.toString());
        }
    }

    /** why off the loop: removing a container takes Docker a moment, and an exec in it ends as lost. */
    private void remove(HostedSession session, String why) {
        if (hosted.remove(session.id()).isPresent()) {
            log.info("session {} {}: removing its container", session.id(), why);
            executor.execute(session.sandbox()::close);
        }
    }

    private void pause() {
        try {
            Thread.sleep(pollInterval.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops taking work, lets the execs and file requests under way end (or stops them after {@code STOP_WAIT}),
     * then saves each session here for another worker to restore; one that cannot move ends lost, saying why. Its
     * container is removed either way.
     */
    @Override
    public void stop() {
        if (!running) {
            return;
        }
        running = false;
        try {
            loop.join(pollInterval.plus(REDIS_TIMEOUT).toMillis());
            executor.shutdown();
            if (!executor.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                executor.shutdownNow();
            }
            for (HostedSession session : hosted.all()) {
                hosted.remove(session.id());
                moveOrLose(session);
                session.sandbox().close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void moveOrLose(HostedSession session) {
        String reason;
        try {
            byte[] snapshot = session.sandbox().snapshot(settings.moveMaxSize().toBytes());
            if (Boolean.TRUE.equals(sessions.move(session.id(), workerId, snapshot,
                    Instant.now().plus(settings.moveTimeout())).block(REDIS_TIMEOUT))) {
                log.info("session {} saved ({} bytes) for another worker to restore", session.id(), snapshot.length);
                return;
            }
            reason = "its worker shut down while an exec ran in it";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reason = "its worker shut down";
        } catch (RuntimeException e) {
            reason = "its worker shut down and it could not move: " + e.getMessage();
        }
        log.info("session {} ends: {}", session.id(), reason);
        try {
            sessions.endOnWorker(session.id(), workerId, reason).block(REDIS_TIMEOUT);
        } catch (RuntimeException e) {
            log.warn("could not end session {}: {}", session.id(), e.toString());
        }
    }

    @Override
    public int getPhase() {
        return ClaimLoop.PHASE;
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
