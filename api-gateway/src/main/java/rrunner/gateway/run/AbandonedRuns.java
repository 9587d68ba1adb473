package rrunner.gateway.run;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import rrunner.common.job.JobId;
import rrunner.common.job.JobState;
import rrunner.common.queue.JobQueue;
import rrunner.gateway.jobs.JobsProperties;

/**
 * Stops the job of a {@code POST /run} whose caller went away before its result: nobody will read it. A running
 * job is cancelled too (unless {@code RUN_CANCEL_ON_DISCONNECT=false}), so its container doesn't hold a worker
 * slot until the timeout for a result that is thrown away.
 */
@Component
class AbandonedRuns {

    private static final Logger LOG = LoggerFactory.getLogger(AbandonedRuns.class);

    private final JobQueue queue;
    private final boolean cancelRunning;

    AbandonedRuns(JobQueue queue, JobsProperties properties) {
        this.queue = queue;
        this.cancelRunning = properties.cancelRunOnDisconnect();
    }

    void abandon(JobId id) {
        Mono<JobState> stopped = cancelRunning ? queue.cancel(id) : queue.withdraw(id);
        stopped.subscribe(
                state -> LOG.debug("Caller of job {} went away; job is {}", id, state),
                e -> LOG.debug("Could not stop abandoned job {}: {}", id, e.toString()));
    }
}
