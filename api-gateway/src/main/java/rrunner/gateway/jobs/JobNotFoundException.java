package rrunner.gateway.jobs;

import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;
import rrunner.common.job.JobId;
import rrunner.gateway.problem.ProblemType;

/** 404: no such job, either never (the id is unknown or malformed) or no more (it expired after RESULT_TTL). */
public class JobNotFoundException extends ErrorResponseException {

    private JobNotFoundException(String detail) {
        super(HttpStatus.NOT_FOUND, ProblemType.JOB_NOT_FOUND.problem(detail), null);
    }

    static JobNotFoundException unknown(JobId id) {
        JobNotFoundException notFound = new JobNotFoundException("no job " + id
                + ": it never existed, or it finished more than RESULT_TTL ago and was deleted");
        notFound.getBody().setProperty("job_id", id.value());
        return notFound;
    }

    /** The id is not echoed: it can be anything a caller put in the path. */
    static JobNotFoundException malformed() {
        return new JobNotFoundException("no such job: job ids are UUIDs as POST /jobs returns them");
    }
}
