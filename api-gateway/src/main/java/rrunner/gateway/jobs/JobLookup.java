package rrunner.gateway.jobs;

import java.time.Duration;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import rrunner.common.job.JobId;
import rrunner.common.job.JobRecord;
import rrunner.common.queue.JobQueue;
import rrunner.gateway.completion.CompletionWaiters;
import rrunner.gateway.tenants.Tenant;

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

    /**
     * {@code tenant}'s job's state, without its result (which can be megabytes); 404 when there is none, and when it
     * is another tenant's: a job id says nothing about other callers' work, not even that it exists.
     */
    Mono<JobRecord> find(JobId id, Tenant tenant) {
        return queue.findWithoutResult(id)
                .filter(job -> job.spec().tenant().equals(tenant.id()))
                .switchIfEmpty(Mono.error(() -> JobNotFoundException.unknown(id)));
    }

    /**
     * {@code tenant}'s job as {@code /jobs} shows it: its result is read only once it finished, as only then is there
     * one.
     */
    Mono<JobRecord> findToShow(JobId id, Tenant tenant) {
        return find(id, tenant).flatMap(this::withResultIfFinished);
    }

    /**
     * The job to show once it ends, or as it is when {@code wait} runs out. The waiter shares the gateway's one
     * subscription; if the job expires meanwhile, the read at the end answers 404.
     */
    Mono<JobRecord> awaitEnd(JobRecord job, Duration wait, Tenant tenant) {
        if (job.state().isTerminal() || wait.isZero()) {
            return withResultIfFinished(job);
        }
        return waiters.awaitTerminal(job.id())
                .flatMap(this::withResultIfFinished)
                .timeout(wait, Mono.defer(() -> findToShow(job.id(), tenant)));
    }

    /** {@code job} read without its result, with it when it finished; 404 when it expired since. */
    private Mono<JobRecord> withResultIfFinished(JobRecord job) {
        if (!job.state().isTerminal()) {
            return Mono.just(job);
        }
        return queue.withResult(job).switchIfEmpty(Mono.error(() -> JobNotFoundException.unknown(job.id())));
    }
}
