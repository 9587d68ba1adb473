package rrunner.gateway.jobs;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import rrunner.common.job.JobId;
import rrunner.common.job.JobState;
import rrunner.gateway.problem.ProblemType;

/** 409: a cancel came for a job that had already ended otherwise; its result stands. */
public class JobAlreadyFinishedException extends ErrorResponseException {

    JobAlreadyFinishedException(JobId id, JobState state) {
        super(HttpStatus.CONFLICT, problem(id, state), null);
    }

    private static ProblemDetail problem(JobId id, JobState state) {
        ProblemDetail problem = ProblemType.JOB_ALREADY_FINISHED.problem(
                "the job already finished (" + state.wireName() + "); there is nothing to cancel");
        problem.setProperty("job_id", id.value());
        problem.setProperty("job_status", state.wireName());
        return problem;
    }
}
