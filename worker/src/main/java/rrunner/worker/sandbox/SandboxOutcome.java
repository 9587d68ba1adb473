package rrunner.worker.sandbox;

import java.time.Duration;
import rrunner.common.job.RunResult;
import rrunner.common.job.RunTimings;

/**
 * What one sandbox run produced and how long its phases took.
 *
 * @param result the script's result; for {@link Ending#TIMED_OUT} and {@link Ending#CANCELLED} it holds the
 *     output captured until the kill, exit code {@link ContainerRunner#KILLED_EXIT_CODE} and no artifacts
 * @param containerReady getting a sandbox ready for the script: taking a prepared one, or creating and starting a
 *     container and R's exec in it
 * @param script from sending the script until it ended or was killed
 * @param collect reading the exit code and artifacts, and removing the container
 * @param warm whether the sandbox was prepared ahead of the job rather than started for it
 */
public record SandboxOutcome(
        RunResult result, Ending ending, Duration containerReady, Duration script, Duration collect,
        boolean warm) {

    /** The phases as the job stores them beside its result. */
    public RunTimings timings() {
        return new RunTimings(containerReady, script, collect, warm);
    }

    /** How the run ended. */
    public enum Ending {
        /** The script exited by itself; its exit code says whether it succeeded. */
        COMPLETED,
        /** The wall-clock limit ran out and the container was killed. */
        TIMED_OUT,
        /** {@link ContainerRunner#cancel} killed the container. */
        CANCELLED
    }
}
