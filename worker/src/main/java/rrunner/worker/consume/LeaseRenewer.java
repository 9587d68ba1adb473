package rrunner.worker.consume;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import rrunner.common.queue.ClaimedJob;
import rrunner.common.queue.JobQueue;
import rrunner.common.queue.LeaseStatus;
import rrunner.worker.sandbox.ContainerRunner;

/**
 * Keeps this worker's claims alive. A lost lease means the job was given to another worker (this one looked
 * dead), so its container is stopped at once: two live attempts of one job would duplicate its effects.
 */
public class LeaseRenewer {

    private static final Logger log = LoggerFactory.getLogger(LeaseRenewer.class);
    private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(5);

    private final JobQueue queue;
    private final ActiveJobs active;
    private final ContainerRunner runner;

    public LeaseRenewer(JobQueue queue, ActiveJobs active, ContainerRunner runner) {
        this.queue = queue;
        this.active = active;
        this.runner = runner;
    }

    public void renewAll() {
        for (ClaimedJob job : active.all()) {
            try {
                LeaseStatus status = queue.renew(job).block(REDIS_TIMEOUT);
                if (status == LeaseStatus.LOST) {
                    log.warn("job {} attempt {}: lease lost, stopping its container", job.id(), job.attempt());
                    runner.cancel(job.id());
                } else if (status == LeaseStatus.CANCEL_REQUESTED) {
                    runner.cancel(job.id());
                }
            } catch (RuntimeException e) {
                log.warn("could not renew the lease of job {}: {}", job.id(), e.toString());
            }
        }
    }
}
