package rrunner.gateway.ops;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import rrunner.common.environment.Environments;
import rrunner.gateway.config.GatewayProperties;

/**
 * Times every authenticated {@code POST /run} from the request to the end of the answer, as the caller sees it,
 * tagged with its {@link RunOutcome}. Runs after the bearer filter, so a flood of 401s can't drag the latency
 * percentiles down.
 */
@Component
public class RunTimer implements WebFilter, Ordered {

    static final String NAME = "rrunner.run";

    /** A refused request is answered in a few milliseconds; finer buckets would only add series. */
    private static final Duration FASTEST = Duration.ofMillis(5);

    private final MeterRegistry registry;
    private final Duration slowest;

    public RunTimer(MeterRegistry registry, GatewayProperties properties, Environments environments) {
        this.registry = registry;
        int longestTimeout = environments.all().stream().mapToInt(environment -> environment.max().timeoutSeconds())
                .max().orElse(environments.defaultEnvironment().max().timeoutSeconds());
        // why: the longest a /run can take (waiting for a worker, then the longest run allowed and its grace)
        this.slowest = properties.queueTimeout().plus(properties.runCompletionTimeout(longestTimeout));
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!isRun(exchange.getRequest())) {
            return chain.filter(exchange);
        }
        Timer.Sample sample = Timer.start(registry);
        return chain.filter(exchange).doFinally(signal -> sample.stop(timer(signal == SignalType.CANCEL
                ? RunOutcome.ABANDONED
                : RunOutcome.of(exchange.getResponse().getStatusCode()))));
    }

    private static boolean isRun(ServerHttpRequest request) {
        return request.getMethod() == HttpMethod.POST
                && request.getPath().pathWithinApplication().value().equals("/run");
    }

    private Timer timer(RunOutcome outcome) {
        return Timer.builder(NAME)
                .description("POST /run from request to answer")
                .tag("outcome", outcome.tag())
                .publishPercentileHistogram()
                .minimumExpectedValue(FASTEST)
                .maximumExpectedValue(slowest)
                .register(registry);
    }

    /** Right after the bearer filter, before anything else does work for the run. */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 1;
    }
}
