package rrunner.common.queue;

import rrunner.common.job.JobId;

/** A worker tried to finish or release a job whose lease it no longer holds; its write was refused. */
public class LeaseLostException extends RuntimeException {

    public LeaseLostException(JobId id, String workerId) {
        super("worker " + workerId + " no longer holds the lease on job " + id);
    }
}
