package rrunner.gateway.jobs;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import rrunner.gateway.problem.ProblemType;

/** 400: a job request parameter that can't be used as sent. */
public class InvalidJobRequestException extends ErrorResponseException {

    private InvalidJobRequestException(ProblemDetail problem) {
        super(HttpStatus.BAD_REQUEST, problem, null);
    }

    static InvalidJobRequestException invalidWait() {
        return new InvalidJobRequestException(ProblemType.INVALID_WAIT.problem(
                "wait must be a whole number of seconds, 0 or more"));
    }

    static InvalidJobRequestException invalidLastEventId() {
        return new InvalidJobRequestException(ProblemType.INVALID_LAST_EVENT_ID.problem(
                "Last-Event-ID must be the id of an event from this stream, like 1700000000000-0: two whole "
                        + "numbers of at most 64 bits joined by a dash"));
    }
}
