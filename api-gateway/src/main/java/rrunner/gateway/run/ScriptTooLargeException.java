package rrunner.gateway.run;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import rrunner.gateway.problem.ProblemType;

/** 413: the script is over {@code MAX_SCRIPT_BYTES}, or the body carrying it over the raw request cap. */
public class ScriptTooLargeException extends ErrorResponseException {

    private ScriptTooLargeException(ProblemDetail problem) {
        super(HttpStatus.CONTENT_TOO_LARGE, problem, null);
    }

    static ScriptTooLargeException script(long scriptBytes, int maxScriptBytes) {
        ProblemDetail problem = ProblemType.SCRIPT_TOO_LARGE.problem("script is " + scriptBytes
                + " bytes, over MAX_SCRIPT_BYTES (" + maxScriptBytes + ")");
        problem.setProperty("field", "script");
        problem.setProperty("requested", scriptBytes);
        problem.setProperty("limit", maxScriptBytes);
        return new ScriptTooLargeException(problem);
    }

    /**
     * The body is refused unread, so the connection closes after the answer: kept open, the server would have to
     * read and discard the rest of a body that may be gigabytes long before the next request could use it.
     */
    static ScriptTooLargeException body(int maxRequestBytes, int maxScriptBytes) {
        ProblemDetail problem = ProblemType.REQUEST_TOO_LARGE.problem("request body is over " + maxRequestBytes
                + " bytes, too large for a script within MAX_SCRIPT_BYTES (" + maxScriptBytes
                + ") and input files within MAX_INPUT_BYTES (sent as base64)");
        problem.setProperty("limit", maxRequestBytes);
        ScriptTooLargeException tooLarge = new ScriptTooLargeException(problem);
        tooLarge.getHeaders().set(HttpHeaders.CONNECTION, "close");
        return tooLarge;
    }
}
