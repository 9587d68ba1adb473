package rrunner.gateway.problem;

import java.time.Duration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * The service cannot take the request now but will later (queue full, Redis down, no worker): a 429 or 503 with
 * {@code Retry-After}, so callers back off instead of hammering, and never wait without bound.
 */
public class RetryLaterException extends ErrorResponseException {

    public RetryLaterException(HttpStatus status, String detail, Duration retryAfter) {
        this(status, detail, retryAfter, null);
    }

    public RetryLaterException(HttpStatus status, String detail, Duration retryAfter, Throwable cause) {
        this(status, ProblemDetail.forStatusAndDetail(status, detail), retryAfter, cause);
    }

    /** With a {@code problem} made elsewhere, e.g. one of a {@link ProblemType}. */
    public RetryLaterException(HttpStatus status, ProblemDetail problem, Duration retryAfter, Throwable cause) {
        super(status, problem, cause);
        getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, retryAfter.toSeconds())));
    }
}
