package rrunner.worker.consume;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import rrunner.common.job.JobId;
import rrunner.common.queue.ClaimedJob;

/** The jobs this worker holds leases on right now, shared by the executor, the renewer and the cancel listener. */
public class ActiveJobs {

    private final Map<JobId, ClaimedJob> jobs = new ConcurrentHashMap<>();

    void add(ClaimedJob job) {
        jobs.put(job.id(), job);
    }

    void remove(ClaimedJob job) {
        jobs.remove(job.id(), job);
    }

    boolean contains(JobId id) {
        return jobs.containsKey(id);
    }

    Collection<ClaimedJob> all() {
        return jobs.values();
    }

    public int size() {
        return jobs.size();
    }
}
