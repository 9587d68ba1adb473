package rrunner.gateway.ops;

import io.lettuce.core.RedisException;
import java.util.Locale;
import java.util.Optional;
import org.springframework.http.HttpStatusCode;
import rrunner.gateway.problem.QuotaExceededException;

/** Why a request was turned away, as the {@code reason} tag of {@value RejectedRequests#NAME}. */
public enum RejectionReason {

    /** 429: {@code MAX_QUEUE_DEPTH} jobs are waiting. */
    QUEUE_FULL,
    /** 429: the caller's tenant is at its {@code max_queued} or {@code requests_per_minute}. */
    OVER_QUOTA,
    /** 503 because Redis did not answer. */
    REDIS_UNAVAILABLE,
    /** 413: the script or its body is over {@code MAX_SCRIPT_BYTES}. */
    TOO_LARGE,
    /** 401: no or a wrong bearer token. */
    UNAUTHORIZED,
    /** 400, 415, 422: the body is not JSON, or not the JSON asked for. */
    INVALID;

    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The reason an error answer turns a request away, or empty for an answer that is no rejection: a 404, a run
     * that timed out (408), a 503 because no worker took the job, an internal error.
     */
    public static Optional<RejectionReason> of(HttpStatusCode status, Throwable error) {
        return switch (status.value()) {
            case 400, 415, 422 -> Optional.of(INVALID);
            case 401 -> Optional.of(UNAUTHORIZED);
            case 413 -> Optional.of(TOO_LARGE);
            case 429 -> Optional.of(error instanceof QuotaExceededException ? OVER_QUOTA : QUEUE_FULL);
            case 503 -> causedByRedis(error) ? Optional.of(REDIS_UNAVAILABLE) : Optional.empty();
            default -> Optional.empty();
        };
    }

    private static boolean causedByRedis(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof RedisException) {
                return true;
            }
        }
        return false;
    }
}
