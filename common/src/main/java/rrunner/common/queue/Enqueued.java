package rrunner.common.queue;

import rrunner.common.job.JobRecord;

/**
 * A job a submit stands for: the one it stored, or ({@code replayed}) the one an earlier submit with the same
 * idempotency key and request stored, as it was when stored.
 */
public record Enqueued(JobRecord job, boolean replayed) {

    /** The same submit, answering with the job as it is later on (ended, with its result). */
    public Enqueued withJob(JobRecord later) {
        return new Enqueued(later, replayed);
    }
}
