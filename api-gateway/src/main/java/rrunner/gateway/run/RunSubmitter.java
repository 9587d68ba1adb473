package rrunner.gateway.run;

import java.time.Duration;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import rrunner.common.job.JobId;
import rrunner.common.job.JobRecord;
import rrunner.common.job.JobState;
import rrunner.common.job.RunResult;
import rrunner.common.queue.Enqueued;
import rrunner.common.queue.IdempotencyKey;
import rrunner.common.queue.JobQueue;
import rrunner.gateway.completion.CompletionWaiters;
import rrunner.gateway.config.GatewayProperties;
import rrunner.gateway.problem.RetryLaterException;
import rrunner.gateway.problem.ProblemType;
import rrunner.gateway.tenants.Tenant;

/**
 * Queues a script as a job and waits for its result, in two bounded stages: first for a worker to take the job
 * (else it is withdrawn: 503), then for the taken job to finish (else 504). Neither wait holds a Redis connection.
 */
@Component
class RunSubmitter {

    /** A job only disappears when Redis lost its data (a restart without persistence); it is back at once. */
    private static final Duration LOST_JOB_RETRY_AFTER = Duration.ofSeconds(1);

    private final JobQueue queue;
    private final JobAdmission admission;
    private final CompletionWaiters waiters;
    private final GatewayProperties properties;
    private final AbandonedRuns abandoned;

    RunSubmitter(JobQueue queue, JobAdmission admission, CompletionWaiters waiters, GatewayProperties properties,
            AbandonedRuns abandoned) {
        this.queue = queue;
        this.admission = admission;
        this.waiters = waiters;
        this.properties = properties;
        this.abandoned = abandoned;
    }

    /**
     * Queues the script, or with {@code key} (null for none) finds the job an earlier run with that key made, and
     * waits for its job to end, failing as {@link #awaitEnd} does; a wait that fails takes the job with it (the caller
     * gets a problem, never the result), and so does an unkeyed caller that goes away.
     */
    Mono<Enqueued> run(JobRequest request, Tenant tenant, IdempotencyKey key) {
        return admission.enqueue(request, tenant, key).flatMap(admitted -> {
            JobId id = admitted.job().id();
            Mono<JobRecord> ended = awaitEnd(admitted.job())
                    .flatMap(job -> queue.withResult(job).switchIfEmpty(Mono.error(RunSubmitter::lostJob)))
                    // why not a withdrawn job: withdrawing already cancelled it
                    .doOnError(e -> !(e instanceof NoWorkerAvailableException), e -> abandoned.giveUp(id));
            // why a keyed run outlives its caller: the caller's retry waits for this job, and would find it cancelled
            return (key == null ? ended.doOnCancel(() -> abandoned.abandon(id)) : ended).map(admitted::withJob);
        });
    }

    /**
     * The job once it ended, without its result (which a streamed run doesn't need here); fails with 503 when no
     * worker took it in time (it is withdrawn), 504 after that.
     */
    Mono<JobRecord> awaitEnd(JobRecord job) {
        Duration queueTimeout = properties.queueTimeout();
        Duration runTimeout = properties.runCompletionTimeout(job.spec().timeoutSeconds());
        return waiters.awaitTerminal(job.id())
                .timeout(queueTimeout, Mono.defer(() -> withdrawOrKeepWaiting(job.id(), queueTimeout, runTimeout)));
    }

    /**
     * Withdrawing succeeds only while no worker holds the job, in the same Lua step that checks it; a job a
     * worker took is running under its own hard timeout, so it gets that long (plus grace) to finish.
     */
    private Mono<JobRecord> withdrawOrKeepWaiting(JobId id, Duration queueTimeout, Duration runTimeout) {
        return queue.withdraw(id)
                .switchIfEmpty(Mono.error(RunSubmitter::lostJob))
                .flatMap(state -> state == JobState.CANCELLED
                        ? Mono.error(new NoWorkerAvailableException(id, queueTimeout))
                        : waiters.awaitTerminal(id)
                                .timeout(runTimeout, Mono.error(() -> new ResultOverdueException(id, runTimeout))));
    }

    private static RetryLaterException lostJob() {
        return new RetryLaterException(ProblemType.JOB_LOST.problem(
                "the job disappeared from the job store before it finished; retry"), LOST_JOB_RETRY_AFTER);
    }

    /** What a plain run answers for the ended job: its result, or the problem its end maps onto (408, 409). */
    static RunResult toResult(JobRecord job) {
        return switch (job.state()) {
            case SUCCEEDED, FAILED -> job.visibleResult()
                    .orElseThrow(() -> new IllegalStateException("job " + job.id() + " ended without a result"));
            case TIMED_OUT -> throw new RunTimedOutException(job.id(), job.spec().timeoutSeconds(), job.result());
            case CANCELLED -> throw new RunCancelledException(job.id());
            case QUEUED, RUNNING -> throw new IllegalStateException("job " + job.id() + " is not finished");
        };
    }
}
