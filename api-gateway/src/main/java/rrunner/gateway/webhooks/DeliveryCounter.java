package rrunner.gateway.webhooks;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Component;

/** Counts webhook attempts by outcome, a tag of four fixed values, never a job or a URL. */
@Component
class DeliveryCounter {

    static final String NAME = "rrunner.webhook.attempts";

    /** How an attempt ended for the delivery. */
    enum Outcome {
        /** The receiver answered 2xx. */
        DELIVERED,
        /** It failed and another attempt is scheduled. */
        RETRIED,
        /** It failed and the delivery gave up. */
        FAILED,
        /** Its lease ran out before it was recorded, so another gateway took the attempt over. */
        LEASE_LOST
    }

    private final Map<Outcome, Counter> counters = new EnumMap<>(Outcome.class);

    DeliveryCounter(MeterRegistry registry) {
        for (Outcome outcome : Outcome.values()) {
            counters.put(outcome, Counter.builder(NAME)
                    .description("Webhook delivery attempts by outcome")
                    .tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
                    .register(registry));
        }
    }

    void count(Outcome outcome) {
        counters.get(outcome).increment();
    }
}
