package rrunner.common.job;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Where a job is in its life. The allowed moves live here, in one table, so the Lua scripts, the worker and
 * the gateway can all be checked against it (see {@code JobStateTest}).
 */
public enum JobState implements WireNamed {
    QUEUED,
    RUNNING,
    SUCCEEDED,
    FAILED,
    TIMED_OUT,
    CANCELLED;

    private static final Map<JobState, Set<JobState>> MOVES = Map.of(
            QUEUED, EnumSet.of(RUNNING, CANCELLED),
            // why RUNNING -> QUEUED: only the rescuer or a worker releasing a job after an infrastructure failure
            RUNNING, EnumSet.of(SUCCEEDED, FAILED, TIMED_OUT, CANCELLED, QUEUED),
            SUCCEEDED, EnumSet.noneOf(JobState.class),
            FAILED, EnumSet.noneOf(JobState.class),
            TIMED_OUT, EnumSet.noneOf(JobState.class),
            CANCELLED, EnumSet.noneOf(JobState.class));

    /** The state every job starts in: the only one a job not stored yet may move to. */
    public static JobState initial() {
        return QUEUED;
    }

    public boolean isTerminal() {
        return MOVES.get(this).isEmpty();
    }

    public boolean canMoveTo(JobState next) {
        return MOVES.get(this).contains(next);
    }

    public static JobState fromWireName(String wireName) {
        return valueOf(wireName.toUpperCase(Locale.ROOT));
    }

    /** The terminal state a finished script maps to, so {@code /run} and {@code /jobs} never disagree. */
    public static JobState of(RunResult result) {
        return result.success() ? SUCCEEDED : FAILED;
    }
}
