package rrunner.gateway.run;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import rrunner.gateway.problem.ProblemType;

/** The body is not JSON (400) or not a {@code {"script": "..."}} object with each key once (422). */
public class InvalidRunRequestException extends ErrorResponseException {

    private InvalidRunRequestException(HttpStatus status, ProblemDetail problem) {
        super(status, problem, null);
    }

    static InvalidRunRequestException malformed(String detail) {
        return new InvalidRunRequestException(HttpStatus.BAD_REQUEST,
                ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail));
    }

    static InvalidRunRequestException unprocessable(String detail) {
        return new InvalidRunRequestException(HttpStatus.UNPROCESSABLE_CONTENT,
                ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_CONTENT, detail));
    }

    /** Valid JSON, but with a key twice: which one counts depends on who reads it, so it is refused. */
    static InvalidRunRequestException duplicateProperty(String detail) {
        return new InvalidRunRequestException(HttpStatus.UNPROCESSABLE_CONTENT,
                ProblemType.DUPLICATE_PROPERTY.problem(HttpStatus.UNPROCESSABLE_CONTENT, detail));
    }
}
