package rrunner.gateway.run;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** 413: the script, or the body carrying it, is over {@code MAX_SCRIPT_BYTES}. */
public class ScriptTooLargeException extends ErrorResponseException {

    private ScriptTooLargeException(String detail) {
        super(HttpStatus.CONTENT_TOO_LARGE, ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE, detail),
                null);
    }

    static ScriptTooLargeException script(long scriptBytes, int maxScriptBytes) {
        return new ScriptTooLargeException("script is " + scriptBytes + " bytes, over MAX_SCRIPT_BYTES ("
                + maxScriptBytes + ")");
    }

    static ScriptTooLargeException body(int maxRequestBytes, int maxScriptBytes) {
        return new ScriptTooLargeException("request body is over " + maxRequestBytes
                + " bytes, too large for a script within MAX_SCRIPT_BYTES (" + maxScriptBytes + ")");
    }
}
