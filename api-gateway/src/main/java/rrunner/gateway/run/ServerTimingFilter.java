package rrunner.gateway.run;

import java.time.Duration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import rrunner.common.job.JobRecord;
import rrunner.gateway.stream.StreamFormat;

/**
 * Adds {@link ServerTiming} to every authenticated plain {@code POST /run} answer, errors included: {@code total}
 * always, the job's phases once {@link #jobEnded} handed over the ended job. The clock stops as the answer's
 * headers go out, so {@code total} includes encoding the result. Streamed runs send their headers before the job
 * starts, so they get none.
 */
@Component
class ServerTimingFilter implements WebFilter, Ordered {

    private static final String ENDED_JOB = ServerTimingFilter.class.getName() + ".endedJob";

    /** The job the exchange's answer is about. */
    static void jobEnded(ServerWebExchange exchange, JobRecord job) {
        exchange.getAttributes().put(ENDED_JOB, job);
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!isPlainRun(exchange.getRequest())) {
            return chain.filter(exchange);
        }
        long received = System.nanoTime();
        ServerHttpResponse response = exchange.getResponse();
        response.beforeCommit(() -> Mono.fromRunnable(() -> {
            Duration total = Duration.ofNanos(System.nanoTime() - received);
            JobRecord job = exchange.getAttribute(ENDED_JOB);
            response.getHeaders().set(ServerTiming.HEADER, ServerTiming.of(job, total).header());
        }));
        return chain.filter(exchange);
    }

    private static boolean isPlainRun(ServerHttpRequest request) {
        return request.getMethod() == HttpMethod.POST
                && request.getPath().pathWithinApplication().value().equals("/run")
                && StreamFormat.requested(request.getHeaders()).isEmpty();
    }

    /** After the bearer filter: a refused caller learns nothing, not even how long the token check took. */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 1;
    }
}
