package rrunner.gateway.run;

import java.time.Duration;
import rrunner.common.job.JobId;
import rrunner.gateway.problem.RetryLaterException;
import rrunner.gateway.problem.ProblemType;

/** 503: no worker claimed the job in time, so it was withdrawn from the queue rather than left to run unseen. */
public class NoWorkerAvailableException extends RetryLaterException {

    /** Long enough for a worker that is starting (or finishing a job) to be ready. */
    private static final Duration RETRY_AFTER = Duration.ofSeconds(10);

    NoWorkerAvailableException(JobId id, Duration waited) {
        super(ProblemType.NO_WORKER.problem("no worker picked the job up within " + waited.toSeconds()
                + " s (RUN_QUEUE_TIMEOUT_SECONDS); the job was withdrawn, retry later"), RETRY_AFTER);
        getBody().setProperty("job_id", id.value());
    }
}
