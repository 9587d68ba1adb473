package rrunner.gateway.run;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** The body is not JSON (400) or not a {@code {"script": "..."}} object (422). */
public class InvalidRunRequestException extends ErrorResponseException {

    private InvalidRunRequestException(HttpStatus status, String detail) {
        super(status, ProblemDetail.forStatusAndDetail(status, detail), null);
    }

    static InvalidRunRequestException malformed(String detail) {
        return new InvalidRunRequestException(HttpStatus.BAD_REQUEST, detail);
    }

    static InvalidRunRequestException unprocessable(String detail) {
        return new InvalidRunRequestException(HttpStatus.UNPROCESSABLE_CONTENT, detail);
    }
}
