package rrunner.worker.consume;

import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import rrunner.common.environment.Environments;
import rrunner.common.event.JobEvent;
import rrunner.common.event.JobEventType;
import rrunner.common.job.InputFile;
import rrunner.common.job.JobState;
import rrunner.common.job.Provenance;
import rrunner.common.job.RunResult;
import rrunner.common.queue.ClaimedJob;
import rrunner.common.queue.JobQueue;
import rrunner.common.queue.LeaseLostException;
import rrunner.common.queue.SessionStore;
import rrunner.common.session.SessionId;
import rrunner.worker.images.PackageInventory;
import rrunner.worker.sandbox.InputDigests;
import rrunner.worker.sandbox.SandboxUnavailableException;
import rrunner.worker.session.ExecOutcome;
import rrunner.worker.session.HostedSession;
import rrunner.worker.session.HostedSessions;
import rrunner.worker.session.ResultLimits;

/**
 * Sees one exec through in the live R of a session on this worker: input files in, the script run with live
 * output, then the fenced write of its result. An exec is never handed to another worker, since no other worker has
 * its session's R: whatever stops it ends it. An exec that killed its session's R (out of memory, quit) ends the
 * session as lost, with the reason, before the exec's own failure is written.
 */
public class SessionExecution {

    private static final Logger log = LoggerFactory.getLogger(SessionExecution.class);
    private static final Duration REDIS_WRITE_TIMEOUT = Duration.ofSeconds(10);

    private final JobQueue queue;
    private final SessionStore sessions;
    private final HostedSessions hosted;
    private final Environments environments;
    private final PackageInventory inventory;
    private final ActiveJobs active;
    private final String workerId;

    public SessionExecution(JobQueue queue, SessionStore sessions, HostedSessions hosted, Environments environments,
            PackageInventory inventory, ActiveJobs active, String workerId) {
        this.queue = queue;
        this.sessions = sessions;
        this.hosted = hosted;
        this.environments = environments;
        this.inventory = inventory;
        this.active = active;
        this.workerId = workerId;
    }

    /** Blocks until the exec ended; runs on the session loop's executor. The job leaves {@link ActiveJobs} after. */
    public void execute(ActiveJob job) {
        ClaimedJob claim = job.claim();
        SessionId id = new SessionId(claim.spec().session());
        try {
            HostedSession session = hosted.get(id).orElse(null);
            if (session == null) {
                fail(claim, "session " + id + " does not live on worker " + workerId + " (any more)");
                return;
            }
            queue.appendEvents(claim, List.of(JobEvent.of(JobEventType.STARTED, workerId)))
                    .block(REDIS_WRITE_TIMEOUT);
            if (!job.startRun(System.nanoTime())) {
                endStopped(job);
                return;
            }
            session.execStarted(claim.id());
            try {
                run(job, session);
            } finally {
                session.execEnded(claim.id());
                job.runEnded();
            }
        } catch (LeaseLostException e) {
            log.warn("exec {} in session {}: result dropped, {}", claim.id(), id, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(claim, "its worker stopped while the exec ran");
        } catch (RuntimeException e) {
            log.error("exec {} in session {} failed in the worker", claim.id(), id, e);
            fail(claim, "worker error: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        } finally {
            active.remove(job);
        }
    }

    private void run(ActiveJob job, HostedSession session) throws InterruptedException {
        ClaimedJob claim = job.claim();
        for (InputFile file : claim.spec().files()) {
            session.sandbox().putFile(file.path(), file.content());
        }
        OutputEvents output = new OutputEvents(queue, claim);
        ExecOutcome outcome;
        try {
            outcome = session.sandbox().exec(claim.spec().script(), Duration.ofSeconds(claim.spec().timeoutSeconds()),
                    ResultLimits.of(claim.spec()), output);
        } catch (SandboxUnavailableException e) {
            outcome = new ExecOutcome(ExecOutcome.Ending.LOST, null, e.getMessage());
        } finally {
            output.close(REDIS_WRITE_TIMEOUT);
        }
        StopReason stop = job.stopReason();
        if (stop != null && stop != StopReason.CANCEL_REQUESTED) {
            endStopped(job);
            return;
        }
        if (outcome.ending() == ExecOutcome.Ending.LOST) {
            lose(session, outcome.reason());
        }
        JobState state = switch (outcome.ending()) {
            case COMPLETED -> JobState.of(outcome.result());
            case TIMED_OUT -> JobState.TIMED_OUT;
            case CANCELLED -> JobState.CANCELLED;
            case LOST -> JobState.FAILED;
        };
        RunResult result = state == JobState.CANCELLED || outcome.result() == null ? null
                : outcome.result().withProvenance(provenance(session, claim));
        if (result == null && state == JobState.FAILED) {
            fail(claim, "session " + session.id() + " lost: " + outcome.reason());
            return;
        }
        queue.finish(claim, state, result).block(REDIS_WRITE_TIMEOUT);
        log.info("exec {} in session {} {}", claim.id(), session.id(), state.wireName());
        if (outcome.ending() != ExecOutcome.Ending.LOST) {
            // why not measured here: it costs a docker exec (tens of ms of the machine's CPU), which a caller's
            // next exec, sent the moment this answer arrives, would wait behind; SessionLoop measures idle sessions
            session.workspaceChanged();
        }
    }

    /**
     * A stop other than the caller's cancel (this worker shutting down, the lease lost or overdue): the exec is
     * over, never handed on. With the lease still held it fails; without it nothing may be written.
     */
    private void endStopped(ActiveJob job) {
        ClaimedJob claim = job.claim();
        switch (job.stopReason()) {
            case CANCEL_REQUESTED -> queue.finish(claim, JobState.CANCELLED, null).block(REDIS_WRITE_TIMEOUT);
            case HANDED_BACK -> fail(claim, "its worker shut down");
            case LEASE_LOST, FENCED, OVERDUE -> log.warn("exec {} stopped ({}): nothing written", claim.id(),
                    job.stopReason());
        }
    }

    private void lose(HostedSession session, String reason) {
        log.warn("session {} lost: {}", session.id(), reason);
        hosted.remove(session.id());
        session.sandbox().close();
        sessions.endOnWorker(session.id(), workerId, reason).block(REDIS_WRITE_TIMEOUT);
    }

    private Provenance provenance(HostedSession session, ClaimedJob claim) {
        String imageId = session.sandbox().imageId();
        String rVersion = environments.find(session.spec().environment())
                .map(environment -> {
                    try {
                        return inventory.of(environment, imageId).rVersion();
                    } catch (SandboxUnavailableException e) {
                        return null;
                    }
                })
                .orElse(null);
        return new Provenance(session.spec().environment(), imageId, rVersion, session.spec().limits(),
                InputDigests.of(claim.spec().files()));
    }

    /** An exec runs once: releasing its one attempt fails it, with the reason among its errors. */
    private void fail(ClaimedJob claim, String reason) {
        try {
            queue.release(claim, reason).block(REDIS_WRITE_TIMEOUT);
            log.warn("exec {} failed: {}", claim.id(), reason);
        } catch (RuntimeException e) {
            log.error("exec {} could not be failed ({}); its lease will lapse: {}", claim.id(), reason, e.toString());
        }
    }
}
