package rrunner.common.queue;

/** What renewing a lease found. */
public enum LeaseStatus {
    HELD,
    /** Still held, and a caller asked to cancel the job: the worker should kill it. */
    CANCEL_REQUESTED,
    /** Another attempt owns the job now (or it ended): the worker must stop and write nothing. */
    LOST
}
