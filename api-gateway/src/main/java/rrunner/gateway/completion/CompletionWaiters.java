package rrunner.gateway.completion;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import rrunner.common.job.JobId;
import rrunner.common.job.JobRecord;
import rrunner.common.queue.JobQueue;

/**
 * In-memory waiters for jobs to reach a terminal state. Callers waiting for the same job share one entry, so
 * the map holds one entry per awaited job, removed when its last waiter completes, times out or is cancelled.
 */
@Component
public class CompletionWaiters implements JobNoticeListener {

    private static final Logger LOG = LoggerFactory.getLogger(CompletionWaiters.class);

    private final JobQueue queue;
    private final ConcurrentMap<JobId, Waiter> waiters = new ConcurrentHashMap<>();

    public CompletionWaiters(JobQueue queue) {
        this.queue = queue;
    }

    /**
     * The job once it is terminal, without its result (read as {@link JobQueue#findWithoutResult}): not every
     * waiter returns it, and those that do read it with {@link JobQueue#withResult}. Never completes for a job
     * that stays unfinished, so callers add a timeout; fails when the first read of the job fails (Redis
     * unavailable).
     */
    public Mono<JobRecord> awaitTerminal(JobId id) {
        // why register before reading: a completion published between the read and the registration
        // would otherwise be missed, and the caller would wait for one that already happened
        return Mono.using(() -> register(id), sink -> refresh(id).then(sink.asMono()), sink -> unregister(id));
    }

    /** Jobs currently awaited; exported as a gauge, and how tests check that no waiter leaks. */
    public int waiting() {
        return waiters.size();
    }

    /** A job finished: read it, off the caller's thread (a Lettuce event loop), and complete its waiters. */
    @Override
    public void finished(JobId id) {
        if (waiters.containsKey(id)) {
            refresh(id).subscribeOn(Schedulers.parallel())
                    .subscribe(null, e -> LOG.warn("Could not read finished job {}: {}", id, e.toString()));
        }
    }

    /** Completions published while the subscription was down were lost: read every awaited job again. */
    @Override
    public void resubscribed() {
        waiters.keySet().forEach(this::finished);
    }

    private Mono<Void> refresh(JobId id) {
        return queue.findWithoutResult(id)
                .filter(job -> job.state().isTerminal())
                .doOnNext(this::complete)
                .then();
    }

    private void complete(JobRecord job) {
        Waiter waiter = waiters.get(job.id());
        if (waiter != null) {
            // why the result is ignored: a failed emission means another thread is completing the same waiter
            // with the same record (terminal states never change), or already did
            waiter.sink().tryEmitValue(job);
        }
    }

    private Sinks.One<JobRecord> register(JobId id) {
        return waiters.compute(id, (key, waiter) -> waiter == null ? new Waiter(Sinks.one(), 1) : waiter.joined())
                .sink();
    }

    private void unregister(JobId id) {
        waiters.computeIfPresent(id, (key, waiter) -> waiter.count() == 1 ? null : waiter.left());
    }

    private record Waiter(Sinks.One<JobRecord> sink, int count) {

        Waiter joined() {
            return new Waiter(sink, count + 1);
        }

        Waiter left() {
            return new Waiter(sink, count - 1);
        }
    }
}
