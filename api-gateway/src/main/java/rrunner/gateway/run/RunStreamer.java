package rrunner.gateway.run;

import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import rrunner.common.job.JobId;
import rrunner.common.job.JobRecord;
import rrunner.common.queue.IdempotencyKey;
import rrunner.gateway.stream.JobEventFollower;
import rrunner.gateway.stream.StreamEvent;
import rrunner.gateway.stream.StreamFormat;
import rrunner.gateway.tenants.Tenant;

/**
 * A {@code POST /run} that asked for a stream: the job's events as they happen, ending with its result. It keeps
 * the plain run's bounds: a job no worker took within {@code RUN_QUEUE_TIMEOUT_SECONDS} is withdrawn, so the
 * stream ends with status {@code cancelled}; a taken job with no result in time ends it with an {@code error}
 * event carrying the problem the plain run would have answered, and is cancelled, as after any error event.
 */
@Component
public class RunStreamer {

    private final JobAdmission admission;
    private final RunSubmitter submitter;
    private final JobEventFollower follower;
    private final AbandonedRuns abandoned;

    RunStreamer(JobAdmission admission, RunSubmitter submitter, JobEventFollower follower, AbandonedRuns abandoned) {
        this.admission = admission;
        this.submitter = submitter;
        this.follower = follower;
        this.abandoned = abandoned;
    }

    /**
     * Queues the job, or with {@code key} (null for none) finds the one an earlier run with that key made (failing
     * as the plain run does: 422, 429, 503), then streams it.
     */
    Mono<ResponseEntity<?>> stream(JobRequest request, Tenant tenant, IdempotencyKey key, StreamFormat format) {
        return admission.enqueue(request, tenant, key).map(admitted -> IdempotencyKeyHeader.marked(
                format.respond(events(admitted.job(), key == null)), admitted.replayed()));
    }

    /**
     * The events of a job already admitted, ending with its result or the problem a plain run would have answered;
     * a subscriber that cancels takes the job with it, as a caller that leaves an unkeyed streamed run does.
     */
    public Flux<StreamEvent> events(JobRecord job) {
        return events(job, true);
    }

    /** As {@link #events(JobRecord)}; without {@code stopWhenAbandoned} a subscriber that cancels leaves the job. */
    private Flux<StreamEvent> events(JobRecord job, boolean stopWhenAbandoned) {
        JobId id = job.id();
        // why the withdrawn case is left to the stream: withdrawing writes the job's finished event, which the
        // follower delivers in order, after any output; only a wait the job itself won't end needs an event
        Mono<StreamEvent> gaveUp = submitter.awaitEnd(job)
                .then(Mono.<StreamEvent>never())
                .onErrorResume(NoWorkerAvailableException.class, withdrawn -> Mono.never())
                .onErrorResume(ErrorResponseException.class, e -> Mono.just(new StreamEvent.Failure(
                        e.getStatusCode().value(), e.getBody().getDetail(), id.value(), e.getBody().getType())));
        return follower.follow(id, null)
                .mergeWith(gaveUp)
                .takeUntil(StreamEvent::isLast)
                // why: a stream that ends in an error has told its caller there will be no result
                .doOnNext(event -> {
                    if (event instanceof StreamEvent.Failure) {
                        abandoned.giveUp(id);
                    }
                })
                .doOnError(e -> abandoned.giveUp(id))
                // why after takeUntil: only the caller's cancel means it went away, not the end of the stream
                .doOnCancel(() -> {
                    if (stopWhenAbandoned) {
                        abandoned.abandon(id);
                    }
                });
    }
}
