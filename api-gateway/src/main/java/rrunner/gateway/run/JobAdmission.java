package rrunner.gateway.run;

import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import rrunner.common.job.JobRecord;
import rrunner.common.job.JobSpec;
import rrunner.common.queue.Enqueued;
import rrunner.common.queue.IdempotencyKey;
import rrunner.common.queue.JobQueue;
import rrunner.gateway.tenants.Tenant;

/**
 * Where an accepted job goes: a one-shot job to the shared queue, an exec to the worker its session lives on (which
 * refuses it, in the same Redis step, when the session is busy, ended or not the caller's).
 */
@Component
public class JobAdmission {

    private final JobQueue queue;

    JobAdmission(JobQueue queue) {
        this.queue = queue;
    }

    /**
     * Queues {@code spec}, {@code tenant}'s job; a one-shot job is refused with 429 when the tenant has its
     * {@code max_queued} jobs waiting (an exec waits only for its session, which holds one at a time).
     */
    public Mono<JobRecord> enqueue(JobSpec spec, Tenant tenant) {
        return enqueue(spec, tenant, null).map(Enqueued::job);
    }

    /**
     * As {@link #enqueue(JobSpec, Tenant)}, unless {@code key} (null for none) already made a job of {@code tenant}'s
     * from the same spec: then that job, replayed; 422 when it made one from another spec. Only one-shot jobs take
     * a key ({@code POST /run}, {@code POST /jobs}).
     */
    public Mono<Enqueued> enqueue(JobSpec spec, Tenant tenant, IdempotencyKey key) {
        return enqueue(JobRequest.of(spec), tenant, key);
    }

    /**
     * As {@link #enqueue(JobSpec, Tenant, IdempotencyKey)}, storing the request's webhook with its job; the key
     * counts the webhook as part of the request.
     */
    public Mono<Enqueued> enqueue(JobRequest request, Tenant tenant, IdempotencyKey key) {
        JobSpec spec = request.spec();
        return spec.session() == null ? queue.enqueue(spec, tenant.policy(), key, request.webhookUrl())
                : queue.enqueueSessionExec(spec, tenant.id()).map(job -> new Enqueued(job, false));
    }
}
