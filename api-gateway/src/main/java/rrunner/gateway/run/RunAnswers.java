package rrunner.gateway.run;

import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import rrunner.common.job.JobSpec;
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
        ServerHttpRequest request = exchange.getRequest();
        Tenant tenant = Tenant.of(exchange);
        return StreamFormat.requested(request.getHeaders())
                .<Mono<ResponseEntity<?>>>map(format -> spec.flatMap(run -> streamer.stream(run, tenant))
                        .map(format::respond))
                .orElseGet(() -> spec.flatMap(run -> submitter.run(run, tenant))
                        .doOnNext(job -> ServerTimingFilter.jobEnded(exchange, job))
                        .map(RunSubmitter::toResult)
                        .map(ResponseEntity::ok));
    }
}
