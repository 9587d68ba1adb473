package rrunner.gateway.problem;

import java.time.Duration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * The service cannot take the request now but will later (queue full, Redis down, no worker): a 429 or 503 with
 * {@code Retry-After}, so callers back off instead of hammering, and never wait without bound.
 */
public class RetryLaterException extends ErrorResponseException {

    public RetryLaterException(ProblemDetail problem, Duration retryAfter) {
        this(problem, retryAfter, null);
    }

    /** {@code problem} is one of a {@link ProblemType}, whose status this answers with. */
    public RetryLaterException(ProblemDetail problem, Duration retryAfter, Throwable cause) {
        super(HttpStatusCode.valueOf(problem.getStatus()), problem, cause);
        getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, retryAfter.toSeconds())));
    }
}
