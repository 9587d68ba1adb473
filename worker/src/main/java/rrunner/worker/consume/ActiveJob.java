package rrunner.worker.consume;

import java.time.Duration;
import rrunner.common.queue.ClaimedJob;

/**
 * One job this worker holds a lease on, as the job's thread, the renewer and whoever stops it share it: when Redis
 * last confirmed the lease, whether the script's run is under way, and why the job was stopped, if it was.
 * Times are this JVM's monotonic clock, never Redis's: they only measure how long ago something was sent from here.
 */
final class ActiveJob {

    private final ClaimedJob claim;
    private volatile long leaseConfirmedAt;
    private StopReason stopReason;
    private boolean running;
    private long runStartedAt;
    private boolean givenUp;

    /** @param claimSentAt {@link System#nanoTime()} when the claim was sent: Redis started the lease after that */
    ActiveJob(ClaimedJob claim, long claimSentAt) {
        this.claim = claim;
        this.leaseConfirmedAt = claimSentAt;
    }

    ClaimedJob claim() {
        return claim;
    }

    /**
     * Records a renewal Redis granted. {@code sentAt} is when it was sent, not answered: Redis extended the lease
     * at some moment after that, so the lease lasts at least a lease duration from then.
     */
    void leaseConfirmed(long sentAt) {
        if (sentAt - leaseConfirmedAt > 0) {
            leaseConfirmedAt = sentAt;
        }
    }

    /** How long ago the newest lease Redis confirmed began, at the latest. */
    Duration sinceLeaseConfirmed(long now) {
        return Duration.ofNanos(now - leaseConfirmedAt);
    }

    /** Called by the job's thread just before the script's run; false if the job was stopped first, so no run. */
    synchronized boolean startRun(long now) {
        if (stopReason != null) {
            return false;
        }
        running = true;
        runStartedAt = now;
        return true;
    }

    synchronized void runEnded() {
        running = false;
    }

    /**
     * Gives the job up once its run went past the script's time limit plus {@code grace} (never before the run
     * started): its lease is no longer kept, whatever else stopped it. Returns true only the first time.
     */
    synchronized boolean giveUpIfOverdue(long now, Duration grace) {
        if (givenUp || !running
                || now - runStartedAt < Duration.ofSeconds(claim.spec().timeoutSeconds()).plus(grace).toNanos()) {
            return false;
        }
        givenUp = true;
        return true;
    }

    /**
     * Marks the job stopped; the first reason given is the one that counts. Returns whether its run is under way,
     * i.e. whether the caller must have its container killed.
     */
    synchronized boolean requestStop(StopReason reason) {
        if (stopReason == null) {
            stopReason = reason;
        }
        return running;
    }

    synchronized StopReason stopReason() {
        return stopReason;
    }

    /** Whether its lease is renewed: not once given up, nor stopped for a reason that lets the lease go. */
    synchronized boolean keepsLease() {
        return !givenUp && (stopReason == null || stopReason.keepsLease());
    }

    synchronized boolean isRunning() {
        return running;
    }
}
