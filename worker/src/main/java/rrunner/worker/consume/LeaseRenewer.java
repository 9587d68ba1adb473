package rrunner.worker.consume;

import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import rrunner.common.queue.JobQueue;
import rrunner.common.queue.LeaseStatus;

/**
 * Keeps this worker's claims alive, and makes sure no job of this worker runs once another worker could have been
 * given it. A lost lease means the job went to another worker (this one looked dead), so its container is stopped
 * at once. A lease Redis has not confirmed for a lease duration minus one renew interval may expire before the
 * next renewal lands (Redis unreachable, partitioned, paused), so the container is killed before that can happen:
 * the job is then not finished here, and the rescuer requeues it once Redis answers again. And a run that went on
 * past its time limit plus the overrun grace (a worker stuck in a Docker call) is given up: its lease is no longer
 * renewed, so the rescuer takes the job instead of this worker holding it forever.
 */
public class LeaseRenewer {

    private static final Logger log = LoggerFactory.getLogger(LeaseRenewer.class);

    private final JobQueue queue;
    private final ActiveJobs active;
    private final JobStopper stopper;
    private final Duration renewInterval;
    private final Duration fenceAfter;
    private final Duration overrunGrace;

    /**
     * @param lease how long a lease lasts from a renewal; the container of a job is killed once Redis has not
     *     confirmed its lease for {@code lease - renewInterval}, which leaves one interval for the kill
     * @param overrunGrace how long past its script's time limit a run may go on (collection, result write)
     */
    public LeaseRenewer(JobQueue queue, ActiveJobs active, JobStopper stopper, Duration lease, Duration renewInterval,
            Duration overrunGrace) {
        this.queue = queue;
        this.active = active;
        this.stopper = stopper;
        this.renewInterval = renewInterval;
        this.fenceAfter = lease.minus(renewInterval);
        this.overrunGrace = overrunGrace;
    }

    /** How often {@link #fenceUnconfirmed()} should run: often enough to leave most of the last interval for the kill. */
    public static Duration fenceCheckInterval(Duration renewInterval) {
        return renewInterval.dividedBy(4);
    }

    /**
     * Renews every lease this worker still keeps, all at once, each given one renew interval to answer: a slow or
     * absent Redis never holds up the next round, and {@link #fenceUnconfirmed()} runs apart from it.
     */
    public void renewAll() {
        long now = System.nanoTime();
        List<ActiveJob> kept = active.all().stream().filter(job -> stillKept(job, now)).toList();
        Flux.fromIterable(kept).flatMap(this::renew).then().block();
    }

    private boolean stillKept(ActiveJob job, long now) {
        if (job.giveUpIfOverdue(now, overrunGrace)) {
            log.warn("job {} attempt {}: still running {} past its {} s limit; giving it up to the rescuer",
                    job.claim().id(), job.claim().attempt(), overrunGrace, job.claim().spec().timeoutSeconds());
            stopper.stop(job, StopReason.OVERDUE);
        }
        return job.keepsLease();
    }

    private Mono<Void> renew(ActiveJob job) {
        long sentAt = System.nanoTime();
        return queue.renew(job.claim())
                .timeout(renewInterval)
                .doOnNext(status -> {
                    if (status == LeaseStatus.LOST) {
                        log.warn("job {} attempt {}: lease lost, stopping its container", job.claim().id(),
                                job.claim().attempt());
                        stopper.stop(job, StopReason.LEASE_LOST);
                        return;
                    }
                    job.leaseConfirmed(sentAt);
                    if (status == LeaseStatus.CANCEL_REQUESTED) {
                        stopper.stop(job, StopReason.CANCEL_REQUESTED);
                    }
                })
                .onErrorResume(e -> {
                    log.warn("could not renew the lease of job {}: {}", job.claim().id(), e.toString());
                    return Mono.empty();
                })
                .then();
    }

    /** Kills the containers of jobs whose lease Redis has not confirmed for a lease duration minus one interval. */
    public void fenceUnconfirmed() {
        long now = System.nanoTime();
        for (ActiveJob job : active.all()) {
            Duration unconfirmed = job.sinceLeaseConfirmed(now);
            // why only unstopped jobs: a stopped one's container was killed already
            if (job.stopReason() == null && unconfirmed.compareTo(fenceAfter) >= 0) {
                log.warn("job {} attempt {}: lease unconfirmed for {}, it may expire; killing its container",
                        job.claim().id(), job.claim().attempt(), unconfirmed);
                stopper.stop(job, StopReason.FENCED);
            }
        }
    }
}
