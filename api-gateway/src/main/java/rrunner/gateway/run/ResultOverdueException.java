package rrunner.gateway.run;

import java.time.Duration;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import rrunner.common.job.JobId;
import rrunner.gateway.problem.ProblemType;

/**
 * 504: a worker took the job but no result came within the run timeout plus grace. Healthy workers always end a
 * job before that (they kill the script at its timeout), so this means workers are failing; the job is cancelled
 * so that it doesn't hold a worker for a result nobody will read.
 */
public class ResultOverdueException extends ErrorResponseException {

    ResultOverdueException(JobId id, Duration waited) {
        super(HttpStatus.GATEWAY_TIMEOUT, problem(id, waited), null);
    }

    private static ProblemDetail problem(JobId id, Duration waited) {
        ProblemDetail problem = ProblemType.RESULT_OVERDUE.problem("no result within " + waited.toSeconds()
                + " s after a worker took the job (its timeout + RUN_RESULT_GRACE_SECONDS); the job is cancelled");
        problem.setProperty("job_id", id.value());
        return problem;
    }
}
