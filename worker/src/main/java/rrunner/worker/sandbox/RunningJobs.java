package rrunner.worker.sandbox;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import rrunner.common.job.JobId;

/**
 * The jobs a runner has in flight and their containers, so a cancel can find the container to kill and the
 * stream reading from it to close. A cancel may arrive before the container exists; it is remembered and
 * honoured as soon as the container is known.
 */
final class RunningJobs {

    private static final Logger log = LoggerFactory.getLogger(RunningJobs.class);

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
        private AutoCloseable stream;

        /** Returns true if the job was cancelled before its container existed: the caller must stop. */
        synchronized boolean attach(String id) {
            containerId = id;
            return cancelled;
        }

        /**
         * Names the stream now reading from the job's container, for a cancel to close; false (and nothing kept) if
         * the job was cancelled already.
         */
        synchronized boolean reading(AutoCloseable current) {
            stream = current;
            return !cancelled;
        }

        synchronized void cancel() {
            cancelled = true;
            if (stream != null) {
                try {
                    stream.close();
                } catch (Exception e) {
                    log.debug("closing a cancelled job's stream failed", e);
                }
            }
        }

        synchronized boolean cancelled() {
            return cancelled;
        }

        synchronized String containerId() {
            return containerId;
        }
    }
}
