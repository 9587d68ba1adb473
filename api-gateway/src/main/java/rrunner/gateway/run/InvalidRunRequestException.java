package rrunner.gateway.run;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import rrunner.gateway.problem.ProblemType;

/**
 * The body is not JSON (400), or not a request object with each key once and each field of its type (422).
 */
public class InvalidRunRequestException extends ErrorResponseException {

    private InvalidRunRequestException(HttpStatus status, ProblemDetail problem) {
        super(status, problem, null);
    }

    static InvalidRunRequestException malformed(String detail) {
        return new InvalidRunRequestException(HttpStatus.BAD_REQUEST, ProblemType.INVALID_JSON.problem(detail));
    }

    static InvalidRunRequestException unprocessable(String detail) {
        return new InvalidRunRequestException(HttpStatus.UNPROCESSABLE_CONTENT,
                ProblemType.INVALID_REQUEST.problem(detail));
    }

    /** A field of the request (such as {@code environment}) of the wrong type. */
    public static InvalidRunRequestException invalidField(String field, String detail) {
        ProblemDetail problem = ProblemType.INVALID_REQUEST.problem(detail);
        problem.setProperty("field", field);
        return new InvalidRunRequestException(HttpStatus.UNPROCESSABLE_CONTENT, problem);
    }

    /** Valid JSON, but with a key twice: which one counts depends on who reads it, so it is refused. */
    static InvalidRunRequestException duplicateProperty(String detail) {
        return new InvalidRunRequestException(HttpStatus.UNPROCESSABLE_CONTENT,
                ProblemType.DUPLICATE_PROPERTY.problem(detail));
    }
}
