package rrunner.worker.consume;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import rrunner.common.event.JobEvent;
import rrunner.common.event.JobEventType;
import rrunner.common.environment.Environment;
import rrunner.common.job.JobState;
import rrunner.common.job.Provenance;
import rrunner.common.job.RunResult;
import rrunner.common.queue.ClaimedJob;
import rrunner.common.queue.JobQueue;
import rrunner.common.queue.LeaseLostException;
import rrunner.worker.images.ImagePuller;
import rrunner.worker.images.PackageInventory;
import rrunner.worker.sandbox.ContainerRunner;
import rrunner.worker.sandbox.InputDigests;
import rrunner.worker.sandbox.SandboxOutcome;
import rrunner.worker.sandbox.SandboxOutcome.Ending;
import rrunner.worker.sandbox.SandboxTarget;
import rrunner.worker.sandbox.SandboxUnavailableException;

/**
 * Sees one claimed job through: its environment's image, sandbox run with live output, then the fenced write of its
 * result, which says what produced it ({@link Provenance}). A job of an environment this worker does not serve is
 * handed back for another attempt, as a runtime failure.
 * Runtime failures hand the job back for another attempt; a failing script is a result, never a retry. A job this
 * worker stopped ends as its {@link StopReason} says.
 */
public class JobExecution {

    private static final Logger log = LoggerFactory.getLogger(JobExecution.class);
    private static final Duration REDIS_WRITE_TIMEOUT = Duration.ofSeconds(10);

    private final JobQueue queue;
    private final ContainerRunner runner;
    private final ImagePuller puller;
    private final PackageInventory inventory;
    private final ActiveJobs active;
    private final JobMetrics metrics;

    /** @param inventory where a result's R version comes from: the listing of the image id it ran in */
    public JobExecution(JobQueue queue, ContainerRunner runner, ImagePuller puller, PackageInventory inventory,
            ActiveJobs active, JobMetrics metrics) {
        this.queue = queue;
        this.runner = runner;
        this.puller = puller;
        this.inventory = inventory;
        this.active = active;
        this.metrics = metrics;
    }

    /** Blocks until the job ended; runs on the worker's own executor. The job leaves {@link ActiveJobs} after. */
    public void execute(ActiveJob job) {
        ClaimedJob claim = job.claim();
        try {
            metrics.claimed(claim);
            // why fenced: a claim that lost its lease meanwhile must not announce a start, nor run
            queue.appendEvents(claim, List.of(JobEvent.of(JobEventType.STARTED, claim.workerId())))
                    .block(REDIS_WRITE_TIMEOUT);
            Environment environment = runner.environmentOf(claim.spec());
            SandboxTarget target = SandboxTarget.of(environment, claim.spec(), puller.ensure(environment.image()));
            Provenance provenance = new Provenance(environment.name(), target.imageId(),
                    rVersion(environment, target.imageId()), target.limits(), InputDigests.of(claim.spec().files()));
            if (!job.startRun(System.nanoTime()) || !runToItsEnd(job, target, provenance)) {
                endStopped(job);
            }
        } catch (SandboxUnavailableException e) {
            failed(job, e.getMessage());
        } catch (LeaseLostException e) {
            log.warn("job {} attempt {}: result dropped, {}", claim.id(), claim.attempt(), e.getMessage());
        } catch (RuntimeException e) {
            log.error("job {} attempt {} failed in the worker", claim.id(), claim.attempt(), e);
            failed(job, "worker error: " + e.getClass().getSimpleName());
        } finally {
            active.remove(job);
        }
    }

    /**
     * Runs the script and writes how it ended; returns false, writing nothing, when this worker stopped it for a
     * reason other than a caller's cancel. The container is killed and removed when this returns.
     */
    private boolean runToItsEnd(ActiveJob job, SandboxTarget target, Provenance provenance) {
        ClaimedJob claim = job.claim();
        OutputEvents output = new OutputEvents(queue, claim);
        AtomicBoolean written = new AtomicBoolean();
        try {
            // why the write inside the run: the result goes out before the container's removal, which the caller
            // would otherwise wait on
            runner.run(claim.id(), claim.spec(), output, target, outcome -> {
                StopReason stop = job.stopReason();
                if (outcome.ending() == Ending.CANCELLED && stop != null && stop != StopReason.CANCEL_REQUESTED) {
                    return;
                }
                output.close(REDIS_WRITE_TIMEOUT);
                finish(claim, outcome, provenance);
                written.set(true);
            });
        } finally {
            job.runEnded();
            output.close(REDIS_WRITE_TIMEOUT);
        }
        return written.get();
    }

    /**
     * R's version in the image the job runs in; null, rather than a failed job, if the image could not be listed
     * (the script may well run, and the result says what it knows).
     */
    private String rVersion(Environment environment, String imageId) {
        try {
            return inventory.of(environment, imageId).rVersion();
        } catch (SandboxUnavailableException e) {
            log.warn("no R version for {} ({}): {}", environment.name(), imageId, e.getMessage());
            return null;
        }
    }

    private void finish(ClaimedJob job, SandboxOutcome outcome, Provenance provenance) {
        JobState state = switch (outcome.ending()) {
            case COMPLETED -> JobState.of(outcome.result());
            case TIMED_OUT -> JobState.TIMED_OUT;
            case CANCELLED -> JobState.CANCELLED;
        };
        RunResult result = state == JobState.CANCELLED ? null : outcome.result().withProvenance(provenance);
        queue.finish(job, state, result, outcome.timings()).block(REDIS_WRITE_TIMEOUT);
        metrics.finished(job, state, outcome);
        log.info("job {} attempt {} {} in {} ms", job.id(), job.attempt(), state.wireName(),
                outcome.script().toMillis());
    }

    /** A job this worker stopped before its script ended, its container (if any) killed and removed. */
    private void endStopped(ActiveJob job) {
        ClaimedJob claim = job.claim();
        StopReason stop = job.stopReason();
        switch (stop) {
            case CANCEL_REQUESTED -> {
                queue.finish(claim, JobState.CANCELLED, null).block(REDIS_WRITE_TIMEOUT);
                log.info("job {} attempt {} cancelled before its script ran", claim.id(), claim.attempt());
            }
            case HANDED_BACK -> handBack(claim);
            case LEASE_LOST, FENCED, OVERDUE -> log.warn("job {} attempt {} stopped ({}): nothing written", claim.id(),
                    claim.attempt(), stop);
        }
    }

    /** An infrastructure failure: another attempt, unless this worker stopped the job, which explains the failure. */
    private void failed(ActiveJob job, String reason) {
        if (job.stopReason() != null && job.stopReason() != StopReason.CANCEL_REQUESTED) {
            endStopped(job);
            return;
        }
        release(job.claim(), reason);
    }

    private void release(ClaimedJob job, String reason) {
        try {
            JobState next = queue.release(job, reason).block(REDIS_WRITE_TIMEOUT);
            metrics.released(next);
            log.warn("job {} attempt {} handed back ({}): {}", job.id(), job.attempt(), next.wireName(), reason);
        } catch (RuntimeException e) {
            // why: if even the release fails, the lease expires and the rescuer retries the job
            log.error("job {} attempt {} could not be handed back: {}", job.id(), job.attempt(), e.toString());
        }
    }

    private void handBack(ClaimedJob job) {
        try {
            JobState next = queue.handBack(job).block(REDIS_WRITE_TIMEOUT);
            metrics.released(next);
            log.info("job {} attempt {} handed back at shutdown ({})", job.id(), job.attempt(), next.wireName());
        } catch (RuntimeException e) {
            log.warn("job {} attempt {} left to the rescuer: {}", job.id(), job.attempt(), e.toString());
        }
    }
}
