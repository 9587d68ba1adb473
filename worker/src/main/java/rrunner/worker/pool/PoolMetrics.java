package rrunner.worker.pool;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * {@code rrunner.sandbox.pool.*}: ready count, takes by outcome, retirements by reason, preparation time. Every
 * series is registered up front, so each reads 0 rather than no data before its first occurrence.
 */
final class PoolMetrics {

    static final String READY = "rrunner.sandbox.pool.ready";
    static final String TAKES = "rrunner.sandbox.pool.takes";
    static final String PREPARE = "rrunner.sandbox.pool.prepare";
    static final String PREPARE_FAILURES = "rrunner.sandbox.pool.prepare.failures";
    static final String RETIRED = "rrunner.sandbox.pool.retired";

    private final Counter warm;
    private final Counter cold;
    private final Counter failures;
    private final Timer prepare;
    private final Map<RetireReason, Counter> retired = new EnumMap<>(RetireReason.class);

    PoolMetrics(MeterRegistry meters, IntSupplier readyCount) {
        Gauge.builder(READY, readyCount::getAsInt)
                .description("Sandboxes prepared and waiting for a job").register(meters);
        this.warm = meters.counter(TAKES, "outcome", "warm");
        this.cold = meters.counter(TAKES, "outcome", "cold");
        this.failures = meters.counter(PREPARE_FAILURES);
        this.prepare = Timer.builder(PREPARE)
                .description("Time to create and start a pool sandbox and start R in it").register(meters);
        for (RetireReason reason : RetireReason.values()) {
            retired.put(reason, meters.counter(RETIRED, "reason", reason.tag()));
        }
    }

    void taken(boolean hit) {
        (hit ? warm : cold).increment();
    }

    void retired(RetireReason reason) {
        retired.get(reason).increment();
    }

    void prepared(Duration took) {
        prepare.record(took);
    }

    void prepareFailed() {
        failures.increment();
    }
}
