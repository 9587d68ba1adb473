package rrunner.worker.images;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Counts pulls that did not bring a fresh image (every retry failed, or the open circuit refused the pull), tagged
 * by what the run did instead: {@code cached} went on with the local copy, {@code unavailable} had none and failed.
 * Both series exist from startup, so a dashboard reads 0 rather than no data before the first failure.
 */
final class PullFailures {

    static final String NAME = "rrunner.image.pull.failures";

    private final Counter cached;
    private final Counter unavailable;

    PullFailures(MeterRegistry meters) {
        this.cached = counter(meters, "cached");
        this.unavailable = counter(meters, "unavailable");
    }

    private static Counter counter(MeterRegistry meters, String outcome) {
        return Counter.builder(NAME).description("Image pulls that failed, by what the run used instead")
                .tag("outcome", outcome).register(meters);
    }

    void failed(boolean localCopy) {
        (localCopy ? cached : unavailable).increment();
    }
}
