package rrunner.worker.session;

import rrunner.common.job.RunResult;

/**
 * How one exec in a session ended.
 *
 * @param result the exec's result: output up to its end (or the interrupt, or R's death), its exit code (0, 1 after
 *     an error, {@link SessionSandbox#INTERRUPTED_EXIT_CODE} after an interrupt, R's own status when R died) and the
 *     files it created or changed; none when {@link Ending#LOST}
 * @param reason why it did not complete, in words fit for the caller; empty for {@link Ending#COMPLETED}
 */
public record ExecOutcome(Ending ending, RunResult result, String reason) {

    /** How the exec ended, and what is left of the session. */
    public enum Ending {
        /** The script ran to its end or to its first error; the session goes on. */
        COMPLETED,
        /** The timeout ran out and R was interrupted; objects are intact and the session goes on. */
        TIMED_OUT,
        /** {@link SessionSandbox#interrupt()} interrupted it; objects are intact and the session goes on. */
        CANCELLED,
        /** R or its container is gone, and with it the session's state; the reason says why. */
        LOST
    }
}
