package rrunner.gateway.run;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import rrunner.common.job.JobId;
import rrunner.common.job.JobRecord;
import rrunner.common.job.JobSpec;
import rrunner.common.job.JobState;
import rrunner.common.job.RunResult;
import rrunner.common.queue.JobQueue;
import rrunner.gateway.completion.CompletionWaiters;
import rrunner.gateway.config.GatewayProperties;
import rrunner.gateway.problem.RetryLaterException;

/**
 * Queues a script as a job and waits for its result, in two bounded stages: first for a worker to take the job
 * (else it is withdrawn: 503), then for the taken job to finish (else 504). Neither wait holds a Redis connection.
 */
@Component
class RunSubmitter {

    private static final Logger LOG = LoggerFactory.getLogger(RunSubmitter.class);
    /** A job only disappears when Redis lost its data (a restart without persistence); it is back at once. */
    private static final Duration LOST_JOB_RETRY_AFTER = Duration.ofSeconds(1);

    private final JobQueue queue;
    private final CompletionWaiters waiters;
    private final GatewayProperties properties;

    RunSubmitter(JobQueue queue, CompletionWaiters waiters, GatewayProperties properties) {
        this.queue = queue;
        this.waiters = waiters;
        this.properties = properties;
    }

    Mono<RunResult> run(String script) {
        JobSpec spec = new JobSpec(script, properties.runTimeoutSeconds(), properties.maxArtifactCount(),
                properties.maxArtifactBytes());
        return queue.enqueue(spec)
                .flatMap(job -> awaitEnd(job.id()).doOnCancel(() -> abandon(job.id())))
                .map(RunSubmitter::toResult);
    }

    private Mono<JobRecord> awaitEnd(JobId id) {
        Duration queueTimeout = properties.queueTimeout();
        return waiters.awaitTerminal(id)
                .timeout(queueTimeout, Mono.defer(() -> withdrawOrKeepWaiting(id, queueTimeout)));
    }

    /**
     * Withdrawing succeeds only while no worker holds the job, in the same Lua step that checks it; a job a
     * worker took is running under a hard timeout, so it gets that long (plus grace) to finish.
     */
    private Mono<JobRecord> withdrawOrKeepWaiting(JobId id, Duration queueTimeout) {
        Duration runTimeout = properties.runCompletionTimeout();
        return queue.withdraw(id)
                .switchIfEmpty(Mono.error(() -> new RetryLaterException(HttpStatus.SERVICE_UNAVAILABLE,
                        "the job disappeared from the job store before it finished; retry", LOST_JOB_RETRY_AFTER)))
                .flatMap(state -> state == JobState.CANCELLED
                        ? Mono.error(new NoWorkerAvailableException(id, queueTimeout))
                        : waiters.awaitTerminal(id)
                                .timeout(runTimeout, Mono.error(() -> new ResultOverdueException(id, runTimeout))));
    }

    /** The caller went away: nobody will read the result, so take the job back if no worker has it yet. */
    private void abandon(JobId id) {
        queue.withdraw(id).subscribe(
                state -> LOG.debug("Caller of job {} went away; job is {}", id, state),
                e -> LOG.debug("Could not withdraw abandoned job {}: {}", id, e.toString()));
    }

    private static RunResult toResult(JobRecord job) {
        return switch (job.state()) {
            case SUCCEEDED, FAILED -> job.visibleResult()
                    .orElseThrow(() -> new IllegalStateException("job " + job.id() + " ended without a result"));
            case TIMED_OUT -> throw new RunTimedOutException(job.id(), job.spec().timeoutSeconds(), job.result());
            case CANCELLED -> throw new RunCancelledException(job.id());
            case QUEUED, RUNNING -> throw new IllegalStateException("job " + job.id() + " is not finished");
        };
    }
}
