package rrunner.worker.sandbox;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import rrunner.common.job.JobId;

/**
 * The jobs a runner has in flight and their containers, so a cancel can find the container to kill. A cancel
 * may arrive before the container exists; it is remembered and honoured as soon as the container is known.
 */
final class RunningJobs {

    private final Map<JobId, Entry> jobs = new ConcurrentHashMap<>();

    Entry register(JobId jobId) {
        Entry entry = new Entry();
        jobs.put(jobId, entry);
        return entry;
    }

    void unregister(JobId jobId, Entry entry) {
        jobs.remove(jobId, entry);
    }

    /** Marks the job cancelled; null if it is not running here. */
    Entry cancel(JobId jobId) {
        Entry entry = jobs.get(jobId);
        if (entry != null) {
            entry.cancel();
        }
        return entry;
    }

    static final class Entry {

        private String containerId;
        private boolean cancelled;

        /** Returns true if the job was cancelled before its container existed: the caller must stop. */
        synchronized boolean attach(String id) {
            containerId = id;
            return cancelled;
        }

        synchronized void cancel() {
            cancelled = true;
        }

        synchronized boolean cancelled() {
            return cancelled;
        }

        synchronized String containerId() {
            return containerId;
        }
    }
}
