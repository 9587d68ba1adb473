package rrunner.common.testing;

import java.time.Duration;
import java.util.List;
import rrunner.common.job.JobSpec;
import rrunner.common.job.RunResult;
import rrunner.common.job.RunTimings;

/** Fixtures for jobs and results, shared by the modules' tests through common's test-jar. */
public final class Jobs {

    private Jobs() {
    }

    public static JobSpec aSpec(String script) {
        return new JobSpec(script, 30, 10, 5_000_000);
    }

    /** A trivial job of {@code tenant}'s. */
    public static JobSpec aSpecOf(String tenant) {
        return new JobSpec("cat(1)", 30, 10, 5_000_000, JobSpec.DEFAULT_MAX_RESULT_BYTES, null, 0, 0, List.of(), null,
                tenant);
    }

    public static JobSpec aTrivialSpec() {
        return aSpec("cat(1)");
    }

    public static RunResult aSuccessfulResult(String stdout) {
        return RunResult.ofScript(0, stdout, "", List.of());
    }

    /** A warm run's phases, with fractions of a millisecond so rounding shows (4.0, 310.2, 41.0 ms). */
    public static RunTimings someTimings() {
        return new RunTimings(Duration.ofNanos(4_012_000), Duration.ofNanos(310_249_000), Duration.ofNanos(40_960_000),
                true);
    }
}
