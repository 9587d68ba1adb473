package rrunner.worker.consume;

import rrunner.common.queue.ClaimedJob;

/**
 * One job this worker holds a lease on, as the job's thread, the renewer and whoever stops it share it: whether
 * the script's run is under way, and why the job was stopped, if it was.
 */
final class ActiveJob {

    private final ClaimedJob claim;
    private StopReason stopReason;
    private boolean running;

    ActiveJob(ClaimedJob claim) {
        this.claim = claim;
    }

    ClaimedJob claim() {
        return claim;
    }

    /** Called by the job's thread just before the script's run; false if the job was stopped first, so no run. */
    synchronized boolean startRun() {
        if (stopReason != null) {
            return false;
        }
        running = true;
        return true;
    }

    synchronized void runEnded() {
        running = false;
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

    /** Whether its lease is renewed: not once it was stopped for a reason that lets the lease go. */
    synchronized boolean keepsLease() {
        return stopReason == null || stopReason.keepsLease();
    }

    synchronized boolean isRunning() {
        return running;
    }
}
