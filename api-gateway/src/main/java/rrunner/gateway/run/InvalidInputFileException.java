package rrunner.gateway.run;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import rrunner.gateway.problem.ProblemType;

/** 422: an entry of {@code files} can't be placed as sent: its shape, path, encoding or content. */
public class InvalidInputFileException extends ErrorResponseException {

    /** {@code path} is the path as sent, or null where there is no string path to name. */
    InvalidInputFileException(int index, String path, String detail) {
        super(HttpStatus.UNPROCESSABLE_CONTENT, problem(index, path, detail), null);
    }

    private static ProblemDetail problem(int index, String path, String detail) {
        ProblemDetail problem = ProblemType.INVALID_INPUT_FILE.problem("files[" + index + "]: " + detail);
        problem.setProperty("index", index);
        if (path != null) {
            problem.setProperty("path", path);
        }
        return problem;
    }
}
