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
 * {@code rrunner.sandbox.pool.*}: ready count, takes by outcome, retirements by reason, preparation time, each tagged
 * with the pool's {@value #ENVIRONMENT}. Every series is registered up front, so each reads 0 rather than no data
 * before its first occurrence.
 */
final class PoolMetrics {

    static final String READY = "rrunner.sandbox.pool.ready";
    static final String TAKES = "rrunner.sandbox.pool.takes";
    static final String PREPARE = "rrunner.sandbox.pool.prepare";
    static final String PREPARE_FAILURES = "rrunner.sandbox.pool.prepare.failures";
    static final String RETIRED = "rrunner.sandbox.pool.retired";
    /** The tag naming the pool's environment: a worker keeps one pool per environment it serves. */
    static final String ENVIRONMENT = "environment";

    private final Counter warm;
    private final Counter cold;
    private final Counter failures;
    private final Timer prepare;
    private final Map<RetireReason, Counter> retired = new EnumMap<>(RetireReason.class);

    PoolMetrics(MeterRegistry meters, String environment, IntSupplier readyCount) {
        Gauge.builder(READY, readyCount::getAsInt).tag(ENVIRONMENT, environment)
                .description("Sandboxes prepared and waiting for a job").register(meters);
        this.warm = meters.counter(TAKES, ENVIRONMENT, environment, "outcome", "warm");
        this.cold = meters.counter(TAKES, ENVIRONMENT, environment, "outcome", "cold");
        this.failures = meters.counter(PREPARE_FAILURES, ENVIRONMENT, environment);
        this.prepare = Timer.builder(PREPARE).tag(ENVIRONMENT, environment)
                .description("Time to create and start a pool sandbox and start R in it").register(meters);
        for (RetireReason reason : RetireReason.values()) {
            retired.put(reason, meters.counter(RETIRED, ENVIRONMENT, environment, "reason", reason.tag()));
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
