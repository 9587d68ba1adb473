package rrunner.gateway.webhooks;

import java.time.Duration;
import java.time.Instant;
import java.util.function.DoubleSupplier;
import rrunner.common.queue.WebhookStatus;

/**
 * What follows an attempt: delivered on 2xx; tried again, with growing randomised backoff or the receiver's
 * {@code Retry-After} if longer (both capped), after no answer (connection error, timeout), 408, 429 or 5xx; given up
 * on 3xx (redirects are never followed: the receiver must name its final URL), 410 (the receiver is gone), any
 * other 4xx, a refused address, or once the attempts or the age run out.
 */
final class DeliveryRules {

    /** What follows: the status to record, the wait before the next attempt (pending only) and the error. */
    record Decision(WebhookStatus status, Duration retryIn, String error) {
    }

    /** why jitter in [3/4, 1]: spreads retries of many deliveries that failed together, yet each wait still grows. */
    private static final double JITTER_FLOOR = 0.75;

    private final WebhookProperties properties;
    private final DoubleSupplier random;

    DeliveryRules(WebhookProperties properties, DoubleSupplier random) {
        this.properties = properties;
        this.random = random;
    }

    Decision decide(int attempt, Instant jobFinishedAt, Instant now, ReceiverAnswer answer) {
        if (answer.refused()) {
            return failed(answer.error());
        }
        Integer status = answer.status();
        if (status != null && status >= 200 && status < 300) {
            return new Decision(WebhookStatus.DELIVERED, Duration.ZERO, null);
        }
        String error = status == null ? answer.error() : describe(status);
        if (status != null && !isRetried(status)) {
            return failed(error);
        }
        Duration wait = backoff(attempt);
        Duration asked = answer.retryAfter().map(this::capped).orElse(Duration.ZERO);
        Duration retryIn = asked.compareTo(wait) > 0 ? asked : wait;
        if (attempt >= properties.maxAttempts()) {
            return failed("gave up after " + attempt + " attempts; the last: " + error);
        }
        if (now.plus(retryIn).isAfter(jobFinishedAt.plus(properties.maxAge()))) {
            return failed("gave up: the next attempt would come past WEBHOOK_MAX_AGE; the last: " + error);
        }
        return new Decision(WebhookStatus.PENDING, retryIn, error);
    }

    /** The wait after attempt {@code attempt}: the first delay doubled per attempt since, jittered, capped. */
    Duration backoff(int attempt) {
        Duration doubled = properties.retryDelay().multipliedBy(1L << Math.min(attempt - 1, 30));
        double factor = JITTER_FLOOR + (1 - JITTER_FLOOR) * random.getAsDouble();
        return capped(Duration.ofMillis((long) (capped(doubled).toMillis() * factor)));
    }

    private Duration capped(Duration wait) {
        return wait.compareTo(properties.maxRetryDelay()) > 0 || wait.isNegative() ? properties.maxRetryDelay()
                : wait;
    }

    private static boolean isRetried(int status) {
        return status == 408 || status == 429 || status >= 500;
    }

    private static String describe(int status) {
        if (status >= 300 && status < 400) {
            return "HTTP " + status + ": redirects are not followed; give the receiver's final URL";
        }
        if (status == 410) {
            return "HTTP 410: the receiver is gone";
        }
        return "HTTP " + status;
    }

    private static Decision failed(String error) {
        return new Decision(WebhookStatus.FAILED, Duration.ZERO, error);
    }
}
