package rrunner.gateway.run;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import rrunner.gateway.problem.ProblemType;

/**
 * 422: a request asks for more than is allowed (a limit over its environment's maximum, more input files than
 * {@code MAX_INPUT_FILES}). Never clamped: a caller that asked for more would otherwise not know it got less.
 */
public class LimitExceededException extends ErrorResponseException {

    LimitExceededException(String field, Number requested, Number limit, String detail) {
        super(HttpStatus.UNPROCESSABLE_CONTENT, problem(field, requested, limit, detail), null);
    }

    private static ProblemDetail problem(String field, Number requested, Number limit, String detail) {
        ProblemDetail problem = ProblemType.LIMIT_EXCEEDED.problem(detail);
        problem.setProperty("field", field);
        problem.setProperty("requested", requested);
        problem.setProperty("limit", limit);
        return problem;
    }
}
