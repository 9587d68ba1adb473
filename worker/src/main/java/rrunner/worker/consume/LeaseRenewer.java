package rrunner.worker.consume;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import rrunner.common.queue.JobQueue;
import rrunner.common.queue.LeaseStatus;

/**
 * Keeps this worker's claims alive. A lost lease means the job was given to another worker (this one looked
 * dead), so its container is stopped at once: two live attempts of one job would duplicate its effects.
 */
public class LeaseRenewer {

    private static final Logger log = LoggerFactory.getLogger(LeaseRenewer.class);
    private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(5);

    private final JobQueue queue;
    private final ActiveJobs active;
    private final JobStopper stopper;

    public LeaseRenewer(JobQueue queue, ActiveJobs active, JobStopper stopper) {
        this.queue = queue;
        this.active = active;
        this.stopper = stopper;
    }

    /** Renews the lease of every job this worker still keeps (not one it stopped for a reason that lets it go). */
    public void renewAll() {
        for (ActiveJob job : active.all()) {
            if (!job.keepsLease()) {
                continue;
            }
            try {
                LeaseStatus status = queue.renew(job.claim()).block(REDIS_TIMEOUT);
                if (status == LeaseStatus.LOST) {
                    log.warn("job {} attempt {}: lease lost, stopping its container", job.claim().id(),
                            job.claim().attempt());
                    stopper.stop(job, StopReason.LEASE_LOST);
                } else if (status == LeaseStatus.CANCEL_REQUESTED) {
                    stopper.stop(job, StopReason.CANCEL_REQUESTED);
                }
            } catch (RuntimeException e) {
                log.warn("could not renew the lease of job {}: {}", job.claim().id(), e.toString());
            }
        }
    }
}
