package rrunner.gateway.run;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import rrunner.gateway.problem.ProblemType;

/** 413: an input file is over {@code MAX_INPUT_FILE_BYTES}, or all of them over {@code MAX_INPUT_BYTES}, decoded. */
public class InputTooLargeException extends ErrorResponseException {

    InputTooLargeException(String field, long requested, long limit, String detail) {
        super(HttpStatus.CONTENT_TOO_LARGE, problem(field, requested, limit, detail), null);
    }

    /** A file body over {@code limit}: {@code declared} as its Content-Length said, or -1 when it streamed. */
    static InputTooLargeException body(long declared, long limit) {
        return new InputTooLargeException("body", declared < 0 ? limit + 1 : declared, limit, (declared < 0
                ? "the file sent is over " : "the file sent is " + declared + " bytes, over ") + limit
                + " bytes (MAX_INPUT_FILE_BYTES)");
    }

    /** A file sent in the argument {@code field} of a tool call, {@code size} bytes decoded. */
    public static InputTooLargeException file(String field, long size, long limit) {
        return new InputTooLargeException(field, size, limit, "the file sent is " + size + " bytes, over " + limit
                + " bytes (MAX_INPUT_FILE_BYTES)");
    }

    private static ProblemDetail problem(String field, long requested, long limit, String detail) {
        ProblemDetail problem = ProblemType.INPUT_TOO_LARGE.problem(detail);
        problem.setProperty("field", field);
        problem.setProperty("requested", requested);
        problem.setProperty("limit", limit);
        return problem;
    }
}
