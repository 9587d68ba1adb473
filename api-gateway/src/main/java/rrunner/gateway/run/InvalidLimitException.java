package rrunner.gateway.run;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import rrunner.gateway.problem.ProblemType;

/**
 * 422: a requested limit is no usable value: not a number, not whole where it must be, 0 or negative (never
 * read as "the default": leaving the limit out asks for that), below the least a sandbox can have, or unknown.
 */
public class InvalidLimitException extends ErrorResponseException {

    InvalidLimitException(String field, String detail) {
        super(HttpStatus.UNPROCESSABLE_CONTENT, problem(field, detail), null);
    }

    private static ProblemDetail problem(String field, String detail) {
        ProblemDetail problem = ProblemType.INVALID_LIMIT.problem(detail);
        problem.setProperty("field", field);
        return problem;
    }
}
