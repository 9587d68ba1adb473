package rrunner.gateway.run;

import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import rrunner.common.job.JobSpec;
import rrunner.common.queue.IdempotencyKey;
import rrunner.gateway.tenants.Tenant;
import rrunner.gateway.stream.StreamFormat;

/**
 * How a synchronous run answers, whether {@code POST /run} or an exec in a session: the result as one JSON body,
 * or with {@code Accept: application/x-ndjson} or {@code text/event-stream} the job's events as they happen.
 */
@Component
public class RunAnswers {

    private final RunSubmitter submitter;
    private final RunStreamer streamer;

    RunAnswers(RunSubmitter submitter, RunStreamer streamer) {
        this.submitter = submitter;
        this.streamer = streamer;
    }

    public Mono<ResponseEntity<?>> answer(ServerWebExchange exchange, Mono<JobSpec> spec) {
        return answer(exchange, spec.map(JobRequest::of), null);
    }

    /**
     * As {@link #answer(ServerWebExchange, Mono)}, for the job {@code key} (null for none) made of the same request
     * if it made one: a retry waits for that job, or answers with its result at once if it ended.
     */
    public Mono<ResponseEntity<?>> answer(ServerWebExchange exchange, Mono<JobRequest> spec, IdempotencyKey key) {
        ServerHttpRequest request = exchange.getRequest();
        Tenant tenant = Tenant.of(exchange);
        return StreamFormat.requested(request.getHeaders())
                .map(format -> spec.flatMap(run -> streamer.stream(run, tenant, key, format)))
                .orElseGet(() -> spec.flatMap(run -> submitter.run(run, tenant, key))
                        .doOnNext(run -> ServerTimingFilter.jobEnded(exchange, run.job()))
                        .map(run -> IdempotencyKeyHeader.marked(
                                ResponseEntity.ok(RunSubmitter.toResult(run.job())), run.replayed())));
    }
}
