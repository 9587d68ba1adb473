package rrunner.gateway.run;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import rrunner.common.job.JobId;
import rrunner.gateway.problem.ProblemType;

/** 409: someone cancelled the job before it finished, so there is no result to return. */
public class RunCancelledException extends ErrorResponseException {

    RunCancelledException(JobId id) {
        super(HttpStatus.CONFLICT, problem(id), null);
    }

    private static ProblemDetail problem(JobId id) {
        ProblemDetail problem = ProblemType.RUN_CANCELLED.problem(
                "the job was cancelled before it finished");
        problem.setProperty("job_id", id.value());
        return problem;
    }
}
