package rrunner.gateway.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import org.springframework.http.HttpStatusCode;
import org.springframework.stereotype.Component;
import rrunner.gateway.problem.RejectionCounter;

/**
 * Counts requests turned away, by {@link RejectionReason}. Every reason's counter exists from startup, so a
 * dashboard's rate shows 0 rather than no data before the first rejection.
 */
@Component
public class RejectedRequests implements RejectionCounter {

    static final String NAME = "rrunner.requests.rejected";

    private final Map<RejectionReason, Counter> counters = new EnumMap<>(RejectionReason.class);

    public RejectedRequests(MeterRegistry registry) {
        for (RejectionReason reason : RejectionReason.values()) {
            counters.put(reason, Counter.builder(NAME)
                    .description("Requests turned away, by reason")
                    .tag("reason", reason.tag())
                    .register(registry));
        }
    }

    @Override
    public void count(HttpStatusCode status, Throwable error) {
        RejectionReason.of(status, error).ifPresent(reason -> counters.get(reason).increment());
    }
}
