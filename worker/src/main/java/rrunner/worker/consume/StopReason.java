package rrunner.worker.consume;

/** Why this worker stopped one of its jobs before the script ended; it decides what, if anything, is written after. */
enum StopReason {

    /** A caller cancelled the job: it ends {@code cancelled}. */
    CANCEL_REQUESTED,
    /** The worker is shutting down: once the container is gone the job is handed back, its attempt not counted. */
    HANDED_BACK,
    /** Another attempt owns the job now: nothing is written. */
    LEASE_LOST,
    /**
     * Redis did not confirm the lease for so long that it may expire before the next renewal lands: the container
     * is killed before another worker can be given the job, nothing is written, and the rescuer requeues the job.
     */
    FENCED,
    /** The run outlived its time limit plus the overrun grace: the lease is let go and the rescuer requeues it. */
    OVERDUE;

    /** Whether the lease is still renewed while the job winds down: only if this worker still writes its end. */
    boolean keepsLease() {
        return this == CANCEL_REQUESTED || this == HANDED_BACK;
    }
}
