package rrunner.gateway.run;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import rrunner.common.job.JobId;
import rrunner.common.job.JobState;
import rrunner.common.queue.JobQueue;

/**
 * Stops the job of a {@code POST /run} whose result nobody will read: its caller went away, or the gateway answered
 * with an error instead. A running job is cancelled too, so its container doesn't hold a worker slot until the
 * timeout for a result that is thrown away.
 */
@Component
class AbandonedRuns {

    private static final Logger LOG = LoggerFactory.getLogger(AbandonedRuns.class);

    private final JobQueue queue;
    private final boolean cancelRunning;

    AbandonedRuns(JobQueue queue, RunProperties properties) {
        this.queue = queue;
        this.cancelRunning = properties.cancelOnDisconnect();
    }

    /** The caller went away: a running job is cancelled only with {@code RUN_CANCEL_ON_DISCONNECT} on. */
    void abandon(JobId id) {
        stop(id, cancelRunning ? queue.cancel(id) : queue.withdraw(id), "caller went away");
    }

    /**
     * The gateway answered the run with an error (504, or a stream's error event): cancelled whether running or
     * not. The caller has the problem, not the result, and a job with no result after its timeout and grace has a
     * worker that fails to end it; RUN_CANCEL_ON_DISCONNECT is about callers that leave, so it doesn't apply.
     */
    void giveUp(JobId id) {
        stop(id, queue.cancel(id), "run answered with an error");
    }

    private static void stop(JobId id, Mono<JobState> stopping, String why) {
        stopping.subscribe(
                state -> LOG.debug("Job {}: {}; job is {}", id, why, state),
                e -> LOG.debug("Could not stop job {} ({}): {}", id, why, e.toString()));
    }
}
