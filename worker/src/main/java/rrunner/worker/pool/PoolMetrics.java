package rrunner.worker.pool;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.function.IntSupplier;

/** {@code rrunner.sandbox.pool.*}: ready count, takes by outcome, retirements by reason, preparation time. */
final class PoolMetrics {

    private final MeterRegistry meters;
    private final Counter warm;
    private final Counter cold;
    private final Counter failures;
    private final Timer prepare;

    PoolMetrics(MeterRegistry meters, IntSupplier readyCount) {
        this.meters = meters;
        Gauge.builder("rrunner.sandbox.pool.ready", readyCount::getAsInt)
                .description("Sandboxes prepared and waiting for a job").register(meters);
        this.warm = meters.counter("rrunner.sandbox.pool.takes", "outcome", "warm");
        this.cold = meters.counter("rrunner.sandbox.pool.takes", "outcome", "cold");
        this.failures = meters.counter("rrunner.sandbox.pool.prepare.failures");
        this.prepare = Timer.builder("rrunner.sandbox.pool.prepare")
                .description("Time to create and start a pool sandbox and start R in it").register(meters);
    }

    void taken(boolean hit) {
        (hit ? warm : cold).increment();
    }

    void retired(String reason) {
        meters.counter("rrunner.sandbox.pool.retired", "reason", reason).increment();
    }

    void prepared(Duration took) {
        prepare.record(took);
    }

    void prepareFailed() {
        failures.increment();
    }
}
