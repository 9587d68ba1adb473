package rrunner.gateway.jobs;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** 400: a job request parameter that can't be used as sent. */
public class InvalidJobRequestException extends ErrorResponseException {

    private InvalidJobRequestException(String detail) {
        super(HttpStatus.BAD_REQUEST, ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail), null);
    }

    static InvalidJobRequestException invalidWait() {
        return new InvalidJobRequestException("wait must be a whole number of seconds, 0 or more");
    }

    static InvalidJobRequestException invalidLastEventId() {
        return new InvalidJobRequestException(
                "Last-Event-ID must be the id of an event from this stream, like 1700000000000-0");
    }
}
