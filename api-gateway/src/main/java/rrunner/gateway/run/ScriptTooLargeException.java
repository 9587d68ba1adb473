package rrunner.gateway.run;

import org.springframework.http.HttpHeaders;
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

    /**
     * The body is refused unread, so the connection closes after the answer: kept open, the server would have to
     * read and discard the rest of a body that may be gigabytes long before the next request could use it.
     */
    static ScriptTooLargeException body(int maxRequestBytes, int maxScriptBytes) {
        ScriptTooLargeException tooLarge = new ScriptTooLargeException("request body is over " + maxRequestBytes
                + " bytes, too large for a script within MAX_SCRIPT_BYTES (" + maxScriptBytes + ")");
        tooLarge.getHeaders().set(HttpHeaders.CONNECTION, "close");
        return tooLarge;
    }
}
