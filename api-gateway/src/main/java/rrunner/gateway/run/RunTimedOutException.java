package rrunner.gateway.run;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import rrunner.common.job.JobId;
import rrunner.common.job.RunResult;

/** 408: the script ran past its time budget and was killed; what it printed until then comes along. */
public class RunTimedOutException extends ErrorResponseException {

    RunTimedOutException(JobId id, int timeoutSeconds, RunResult partial) {
        super(HttpStatus.REQUEST_TIMEOUT, problem(id, timeoutSeconds, partial), null);
    }

    private static ProblemDetail problem(JobId id, int timeoutSeconds, RunResult partial) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.REQUEST_TIMEOUT,
                "script ran past RUN_TIMEOUT_SECONDS (" + timeoutSeconds + " s) and was stopped");
        problem.setProperty("job_id", id.value());
        if (partial != null) {
            problem.setProperty("stdout", partial.stdout());
            problem.setProperty("stderr", partial.stderr());
        }
        return problem;
    }
}
