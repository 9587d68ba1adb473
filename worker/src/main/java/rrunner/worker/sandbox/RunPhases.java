package rrunner.worker.sandbox;

import java.time.Duration;
import rrunner.common.job.RunResult;
import rrunner.worker.sandbox.SandboxOutcome.Ending;

/** Times the phases of one run as it goes. */
final class RunPhases {

    private final long start = System.nanoTime();
    private long ready;
    private long scriptEnded;
    private boolean warm;

    void ready(boolean warmStart) {
        ready = System.nanoTime();
        warm = warmStart;
    }

    void scriptEnded() {
        scriptEnded = System.nanoTime();
    }

    SandboxOutcome outcome(RunResult result, Ending ending) {
        long now = System.nanoTime();
        long readyAt = ready == 0 ? now : ready;
        long scriptAt = scriptEnded == 0 ? readyAt : scriptEnded;
        return new SandboxOutcome(result, ending, Duration.ofNanos(readyAt - start),
                Duration.ofNanos(scriptAt - readyAt), Duration.ofNanos(now - scriptAt), warm);
    }
}
