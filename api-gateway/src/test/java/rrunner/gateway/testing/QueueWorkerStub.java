package rrunner.gateway.testing;

import java.time.Duration;
import java.util.function.Function;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import rrunner.common.job.JobState;
import rrunner.common.job.RunResult;
import rrunner.common.queue.ClaimedJob;
import rrunner.common.queue.JobQueue;
import rrunner.common.testing.Jobs;

/**
 * Plays the worker in gateway tests through the real queue protocol on the same Redis: claims every job it
 * finds and finishes it, which publishes the completion the gateway waits for. Like a real worker it stores how
 * long the run's phases took, always {@link Jobs#someTimings()}.
 */
public final class QueueWorkerStub implements AutoCloseable {

    public static final String WORKER_ID = "test-worker";
    private static final Duration POLL_INTERVAL = Duration.ofMillis(10);

    private final Disposable loop;

    private QueueWorkerStub(JobQueue queue, Function<ClaimedJob, Mono<Void>> answer) {
        this.loop = Flux.interval(POLL_INTERVAL)
                .onBackpressureDrop()
                .concatMap(tick -> queue.claim(WORKER_ID)
                        .expand(job -> queue.claim(WORKER_ID))
                        .flatMap(answer))
                .subscribe();
    }

    /** Finishes each job at once with the result {@code run} computes from its script. */
    public static QueueWorkerStub finishing(JobQueue queue, Function<String, RunResult> run) {
        return finishingAfter(queue, Duration.ZERO, run);
    }

    /** Finishes each job {@code delay} after claiming it, as a script that runs that long. */
    public static QueueWorkerStub finishingAfter(JobQueue queue, Duration delay, Function<String, RunResult> run) {
        return new QueueWorkerStub(queue, job -> {
            RunResult result = run.apply(job.spec().script());
            return Mono.delay(delay).then(queue.finish(job, JobState.of(result), result, Jobs.someTimings()));
        });
    }

    /** Ends each job as a worker does when the script overran its timeout: killed, with partial output. */
    public static QueueWorkerStub timingOut(JobQueue queue, RunResult partial) {
        return new QueueWorkerStub(queue, job -> queue.finish(job, JobState.TIMED_OUT, partial, Jobs.someTimings()));
    }

    /** Takes each job and never ends it, as a worker that hangs without dying (its lease stays fresh). */
    public static QueueWorkerStub claimingOnly(JobQueue queue) {
        return new QueueWorkerStub(queue, job -> Mono.empty());
    }

    @Override
    public void close() {
        loop.dispose();
    }
}
