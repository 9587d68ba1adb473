package rrunner.common.job;

import java.time.Duration;
import java.util.Objects;

/**
 * How long the worker's phases of the attempt that ended a job took, measured on the worker's monotonic clock.
 * Kept apart from {@link RunResult}, which is the {@code POST /run} body and must not change.
 *
 * @param acquire getting a sandbox ready for the script: taking one prepared ahead, or creating and starting one
 * @param script from sending the script until it ended or was killed
 * @param collect reading the exit code and the artifacts, and removing the sandbox
 * @param warm whether the sandbox was prepared ahead of the job rather than started for it
 */
public record RunTimings(Duration acquire, Duration script, Duration collect, boolean warm) {

    public RunTimings {
        Objects.requireNonNull(acquire, "acquire");
        Objects.requireNonNull(script, "script");
        Objects.requireNonNull(collect, "collect");
    }
}
