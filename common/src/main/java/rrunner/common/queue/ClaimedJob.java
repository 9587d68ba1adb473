package rrunner.common.queue;

import java.time.Instant;
import rrunner.common.job.JobId;
import rrunner.common.job.JobSpec;

/**
 * A job a worker holds a lease on. The lease token fences every later write: once the lease is lost (rescued
 * after expiry), the token no longer matches and the worker's result is refused.
 *
 * @param createdAt when the gateway accepted the job, for queue-wait metrics
 */
public record ClaimedJob(
        JobId id, JobSpec spec, int attempt, int maxAttempts, String workerId, String leaseToken,
        Instant createdAt, Instant claimedAt) {
}
