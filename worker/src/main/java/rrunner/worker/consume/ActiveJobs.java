package rrunner.worker.consume;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import rrunner.common.job.JobId;
import rrunner.common.queue.ClaimedJob;

/** The jobs this worker holds leases on right now, shared by the claim loop, the jobs' threads, the renewer and the
 * cancel listener. */
public class ActiveJobs {

    private final Map<JobId, ActiveJob> jobs = new ConcurrentHashMap<>();

    /** @param claimSentAt {@link System#nanoTime()} when the claim was sent */
    ActiveJob add(ClaimedJob claim, long claimSentAt) {
        ActiveJob job = new ActiveJob(claim, claimSentAt);
        jobs.put(claim.id(), job);
        return job;
    }

    void remove(ActiveJob job) {
        jobs.remove(job.claim().id(), job);
    }

    Optional<ActiveJob> get(JobId id) {
        return Optional.ofNullable(jobs.get(id));
    }

    Collection<ActiveJob> all() {
        return List.copyOf(jobs.values());
    }

    public int size() {
        return jobs.size();
    }
}
