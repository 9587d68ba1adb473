package rrunner.gateway.testing;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import rrunner.common.event.JobEvent;
import rrunner.common.event.JobEventType;
import rrunner.common.job.JobState;
import rrunner.common.job.RunResult;
import rrunner.common.queue.ClaimedJob;
import rrunner.common.queue.JobQueue;
import rrunner.common.queue.LeaseStatus;

/**
 * Plays a worker one step at a time through the real queue protocol, so a test decides when a job starts, what
 * it prints and when it ends. Calls block the test thread (never a Reactor one).
 */
public final class HandDrivenWorker {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final JobQueue queue;

    public HandDrivenWorker(JobQueue queue) {
        this.queue = queue;
    }

    /** Takes the next job as soon as one is waiting, and announces that it started. */
    public ClaimedJob takeJob() {
        AtomicReference<ClaimedJob> taken = new AtomicReference<>();
        await().atMost(WAIT).until(() -> {
            tryTake().ifPresent(taken::set);
            return taken.get() != null;
        });
        queue.appendEvents(taken.get(), List.of(JobEvent.of(JobEventType.STARTED, taken.get().workerId())))
                .block(WAIT);
        return taken.get();
    }

    /** What a claim finds now: empty when no job is waiting. */
    public Optional<ClaimedJob> tryTake() {
        return queue.claim(QueueWorkerStub.WORKER_ID).blockOptional(WAIT);
    }

    public void prints(ClaimedJob job, JobEventType stream, String chunk) {
        queue.appendEvents(job, List.of(JobEvent.of(stream, chunk))).block(WAIT);
    }

    /** Ends the job with {@code result} and no timings, as a worker that did not time the run. */
    public void finishes(ClaimedJob job, RunResult result) {
        queue.finish(job, JobState.of(result), result).block(WAIT);
    }

    /** Ends the job as a worker does once it killed the container of a cancelled job. */
    public void endsCancelled(ClaimedJob job) {
        queue.finish(job, JobState.CANCELLED, null).block(WAIT);
    }

    public LeaseStatus renews(ClaimedJob job) {
        return queue.renew(job).block(WAIT);
    }
}
