package rrunner.gateway.tenants;

import io.lettuce.core.RedisException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import rrunner.common.queue.RequestBuckets;
import rrunner.gateway.problem.ProblemType;
import rrunner.gateway.problem.QuotaExceededException;

/**
 * A tenant's {@code requests_per_minute}, taken from its bucket in Redis for every {@code POST} (every request that
 * creates or runs something); reads, polls and event streams are free, so a client following its job never uses up
 * its right to submit the next.
 */
@Component
public class RequestRateLimit {

    private static final Logger LOG = LoggerFactory.getLogger(RequestRateLimit.class);

    private final RequestBuckets buckets;

    RequestRateLimit(RequestBuckets buckets) {
        this.buckets = buckets;
    }

    /** why up: Retry-After counts whole seconds, and a token 1.5 s away is not there after 1 s */
    private static Duration wholeSecondsUp(Duration wait) {
        return Duration.ofSeconds(wait.plusMillis(999).toSeconds());
    }

    /** Why the request must wait (429), or empty when it may go on. */
    public Mono<QuotaExceededException> refusal(ServerWebExchange exchange, Tenant tenant) {
        int perMinute = tenant.limits().requestsPerMinute();
        if (perMinute == 0 || !HttpMethod.POST.equals(exchange.getRequest().getMethod())) {
            return Mono.empty();
        }
        return buckets.take(tenant.id(), perMinute)
                .filter(take -> !take.allowed())
                .map(take -> new QuotaExceededException(ProblemType.RATE_LIMITED, "tenant " + tenant.id()
                        + " made its " + perMinute + " requests of the last minute (requests_per_minute); retry "
                        + "after Retry-After", perMinute, take.used(), wholeSecondsUp(take.retryAfter())))
                // why let the request through: with Redis down it fails at the job store anyway (503), which
                // says what is wrong; a 500 from here would not
                .onErrorResume(RedisException.class, e -> {
                    LOG.warn("rate limit of tenant {} not checked: {}", tenant.id(), e.toString());
                    return Mono.empty();
                });
    }
}
