package rrunner.gateway.ops;

import java.util.Locale;
import org.springframework.http.HttpStatusCode;

/**
 * How a {@code POST /run} ended, as the {@code outcome} tag of {@value RunTimer#NAME}: named from the answer's
 * status, because the gateway answers every terminal job state with its own status.
 */
enum RunOutcome {

    /** 200: the script ran to its end; whether it succeeded is in the body. */
    COMPLETED,
    /** 408: the script ran past its timeout and was killed. */
    TIMED_OUT,
    /** 409: the job was cancelled before it finished. */
    CANCELLED,
    /** 429 or 503: the queue was full, Redis was down or no worker took the job in time; retry later. */
    UNAVAILABLE,
    /** Any other 4xx: the request was refused (too large, malformed). */
    REJECTED,
    /** 504: a worker took the job but no result came in time. */
    OVERDUE,
    /** Any other status: an internal error. */
    ERROR,
    /** The caller went away before the answer. */
    ABANDONED;

    String tag() {
        return name().toLowerCase(Locale.ROOT);
    }

    static RunOutcome of(HttpStatusCode status) {
        if (status == null) {
            return ERROR;
        }
        return switch (status.value()) {
            case 200 -> COMPLETED;
            case 408 -> TIMED_OUT;
            case 409 -> CANCELLED;
            case 429, 503 -> UNAVAILABLE;
            case 504 -> OVERDUE;
            default -> status.is4xxClientError() ? REJECTED : ERROR;
        };
    }
}
