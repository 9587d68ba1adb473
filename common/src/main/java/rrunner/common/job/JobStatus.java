package rrunner.common.job;

/**
 * A job's status as the API shows it: its {@link JobState}, except that a running job whose cancel its worker has
 * not yet carried out shows as {@link #CANCELLING}. Not a state of its own: the job stays {@code running} in Redis
 * until its worker (or the rescuer) ends it, so {@code cancelling} never appears in the transition table.
 * Declared in the order the API documents them.
 */
public enum JobStatus implements WireNamed {
    QUEUED,
    RUNNING,
    /** Running, and a cancel was requested that its worker has not yet carried out. */
    CANCELLING,
    SUCCEEDED,
    FAILED,
    TIMED_OUT,
    CANCELLED;

    public static JobStatus of(JobState state, boolean cancelRequested) {
        return state == JobState.RUNNING && cancelRequested ? CANCELLING : valueOf(state.name());
    }

    public static JobStatus of(JobRecord job) {
        return of(job.state(), job.cancelRequested());
    }
}
