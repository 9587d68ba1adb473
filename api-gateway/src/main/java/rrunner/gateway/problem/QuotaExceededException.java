package rrunner.gateway.problem;

import java.time.Duration;
import org.springframework.http.ProblemDetail;

/**
 * 429: the caller's tenant is at one of its quotas ({@code max_queued}, {@code requests_per_minute}); the problem
 * carries the quota's {@code limit} and the tenant's {@code current} use, and {@code Retry-After} when to try again.
 */
public class QuotaExceededException extends RetryLaterException {

    public QuotaExceededException(ProblemType type, String detail, long limit, long current, Duration retryAfter) {
        super(problem(type, detail, limit, current), retryAfter);
    }

    private static ProblemDetail problem(ProblemType type, String detail, long limit, long current) {
        ProblemDetail problem = type.problem(detail);
        problem.setProperty("limit", limit);
        problem.setProperty("current", current);
        return problem;
    }
}
