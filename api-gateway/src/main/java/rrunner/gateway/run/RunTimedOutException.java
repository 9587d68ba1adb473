package rrunner.gateway.run;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import rrunner.common.job.JobId;
import rrunner.common.job.RunResult;
import rrunner.gateway.problem.ProblemType;

/** 408: the script ran past its time budget and was killed; what it printed until then comes along. */
public class RunTimedOutException extends ErrorResponseException {

    RunTimedOutException(JobId id, int timeoutSeconds, RunResult partial) {
        super(HttpStatus.REQUEST_TIMEOUT, problem(id, timeoutSeconds, partial), null);
    }

    private static ProblemDetail problem(JobId id, int timeoutSeconds, RunResult partial) {
        ProblemDetail problem = ProblemType.TIMED_OUT.problem("script ran past its timeout (limits.timeout_seconds: "
                + timeoutSeconds + " s) and was stopped");
        problem.setProperty("job_id", id.value());
        problem.setProperty("timeout_seconds", timeoutSeconds);
        if (partial != null) {
            problem.setProperty("stdout", partial.stdout());
            problem.setProperty("stderr", partial.stderr());
        }
        return problem;
    }
}
