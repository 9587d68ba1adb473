package rrunner.worker.consume;

import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import rrunner.common.event.JobEvent;
import rrunner.common.event.JobEventType;
import rrunner.common.job.JobState;
import rrunner.common.job.RunResult;
import rrunner.common.queue.ClaimedJob;
import rrunner.common.queue.JobQueue;
import rrunner.common.queue.LeaseLostException;
import rrunner.worker.images.ImagePuller;
import rrunner.worker.sandbox.ContainerRunner;
import rrunner.worker.sandbox.SandboxOutcome;
import rrunner.worker.sandbox.SandboxProperties;
import rrunner.worker.sandbox.SandboxUnavailableException;

/**
 * Sees one claimed job through: image, sandbox run with live output, then the fenced write of its result.
 * Runtime failures hand the job back for another attempt; a failing script is a result, never a retry.
 */
public class JobExecution {

    private static final Logger log = LoggerFactory.getLogger(JobExecution.class);
    private static final Duration REDIS_WRITE_TIMEOUT = Duration.ofSeconds(10);

    private final JobQueue queue;
    private final ContainerRunner runner;
    private final ImagePuller puller;
    private final SandboxProperties sandbox;
    private final ActiveJobs active;
    private final JobMetrics metrics;

    public JobExecution(JobQueue queue, ContainerRunner runner, ImagePuller puller, SandboxProperties sandbox,
            ActiveJobs active, JobMetrics metrics) {
        this.queue = queue;
        this.runner = runner;
        this.puller = puller;
        this.sandbox = sandbox;
        this.active = active;
        this.metrics = metrics;
    }

    /** Blocks until the job ended; runs on the worker's own executor. */
    public void execute(ClaimedJob job) {
        active.add(job);
        try {
            metrics.claimed(job);
            // why fenced: a claim that lost its lease meanwhile must not announce a start, nor run
            queue.appendEvents(job, List.of(JobEvent.of(JobEventType.STARTED, job.workerId())))
                    .block(REDIS_WRITE_TIMEOUT);
            String imageId = puller.ensure(sandbox.image());
            OutputEvents output = new OutputEvents(queue, job);
            try {
                // why inside the run: the result goes out before the container's removal, which the caller
                // would otherwise wait on
                runner.run(job.id(), job.spec(), output, imageId, outcome -> {
                    output.close(REDIS_WRITE_TIMEOUT);
                    finish(job, outcome);
                });
            } finally {
                output.close(REDIS_WRITE_TIMEOUT);
            }
        } catch (SandboxUnavailableException e) {
            release(job, e.getMessage());
        } catch (LeaseLostException e) {
            log.warn("job {} attempt {}: result dropped, {}", job.id(), job.attempt(), e.getMessage());
        } catch (RuntimeException e) {
            log.error("job {} attempt {} failed in the worker", job.id(), job.attempt(), e);
            release(job, "worker error: " + e.getClass().getSimpleName());
        } finally {
            active.remove(job);
        }
    }

    private void finish(ClaimedJob job, SandboxOutcome outcome) {
        JobState state = switch (outcome.ending()) {
            case COMPLETED -> JobState.of(outcome.result());
            case TIMED_OUT -> JobState.TIMED_OUT;
            case CANCELLED -> JobState.CANCELLED;
        };
        RunResult result = state == JobState.CANCELLED ? null : outcome.result();
        queue.finish(job, state, result, outcome.timings()).block(REDIS_WRITE_TIMEOUT);
        metrics.finished(job, state, outcome);
        log.info("job {} attempt {} {} in {} ms", job.id(), job.attempt(), state.wireName(),
                outcome.script().toMillis());
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
}
