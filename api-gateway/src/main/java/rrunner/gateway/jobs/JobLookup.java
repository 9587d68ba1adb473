package rrunner.gateway.jobs;

import java.time.Duration;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import rrunner.common.job.JobId;
import rrunner.common.job.JobRecord;
import rrunner.common.queue.JobQueue;
import rrunner.gateway.completion.CompletionWaiters;

/** Finds a job by the id a caller sent (404 when there is none) and waits for it to end without polling Redis. */
@Component
class JobLookup {

    private final JobQueue queue;
    private final CompletionWaiters waiters;

    JobLookup(JobQueue queue, CompletionWaiters waiters) {
        this.queue = queue;
        this.waiters = waiters;
    }

    /** The id, checked without touching Redis: a malformed one can't name a job. */
    static Mono<JobId> parse(String id) {
        return JobId.isWellFormed(id) ? Mono.just(new JobId(id)) : Mono.error(JobNotFoundException::malformed);
    }

    Mono<JobRecord> find(JobId id) {
        return queue.find(id).switchIfEmpty(Mono.error(() -> JobNotFoundException.unknown(id)));
    }

    /**
     * The job once it ends, or as it is when {@code wait} runs out. The waiter shares the gateway's one
     * subscription; if the job expires meanwhile, the read at the end answers 404.
     */
    Mono<JobRecord> awaitEnd(JobRecord job, Duration wait) {
        if (job.state().isTerminal() || wait.isZero()) {
            return Mono.just(job);
        }
        return waiters.awaitTerminal(job.id()).timeout(wait, Mono.defer(() -> find(job.id())));
    }
}
