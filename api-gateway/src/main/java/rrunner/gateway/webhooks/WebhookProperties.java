package rrunner.gateway.webhooks;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Webhook settings. Defaults live in {@code application.yaml}, next to the environment names.
 *
 * @param allowedCidrs {@code WEBHOOK_ALLOWED_CIDRS}: address blocks webhooks may reach although they are not public
 *     (an intranet's receivers), comma-separated CIDRs; none by default
 * @param allowHttp {@code WEBHOOK_ALLOW_HTTP}: whether {@code http://} webhook URLs are accepted; off, only https
 * @param timeout {@code WEBHOOK_TIMEOUT}: how long one attempt may take to connect, and then to get the response's
 *     status and headers
 * @param maxAttempts {@code WEBHOOK_MAX_ATTEMPTS}: attempts before a delivery gives up
 * @param maxAge {@code WEBHOOK_MAX_AGE}: how long after its job ended a delivery is still retried; keep it below
 *     {@code RESULT_TTL}, which takes the delivery with the job
 * @param retryDelay {@code WEBHOOK_RETRY_DELAY}: the wait before the second attempt, doubled for each one after
 * @param maxRetryDelay {@code WEBHOOK_MAX_RETRY_DELAY}: the longest wait between attempts, a receiver's
 *     {@code Retry-After} included
 * @param pollInterval {@code WEBHOOK_POLL_INTERVAL}: how often each gateway looks for due deliveries
 */
@Validated
@ConfigurationProperties("rrunner.webhooks")
public record WebhookProperties(
        List<String> allowedCidrs,
        boolean allowHttp,
        @NotNull Duration timeout,
        @Min(value = 1, message = "WEBHOOK_MAX_ATTEMPTS must be at least 1")
        @Max(value = 100, message = "WEBHOOK_MAX_ATTEMPTS must be at most 100")
        int maxAttempts,
        @NotNull Duration maxAge,
        @NotNull Duration retryDelay,
        @NotNull Duration maxRetryDelay,
        @NotNull Duration pollInterval) {

    /** Room beyond two timeouts (connect, then response) for signing, Redis and a slow event loop. */
    private static final Duration LEASE_MARGIN = Duration.ofSeconds(5);

    public WebhookProperties {
        allowedCidrs = allowedCidrs == null ? List.of()
                : allowedCidrs.stream().map(String::strip).filter(cidr -> !cidr.isEmpty()).toList();
    }

    @AssertTrue(message = "WEBHOOK_ALLOWED_CIDRS must be comma-separated CIDR blocks such as 10.1.0.0/16,fd00::/8")
    public boolean isAllowedCidrsValid() {
        try {
            allowed();
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @AssertTrue(message = "WEBHOOK_TIMEOUT, WEBHOOK_MAX_AGE, WEBHOOK_RETRY_DELAY, WEBHOOK_MAX_RETRY_DELAY and "
            + "WEBHOOK_POLL_INTERVAL must be positive")
    public boolean isEveryDurationPositive() {
        return Stream.of(timeout, maxAge, retryDelay, maxRetryDelay, pollInterval)
                .allMatch(duration -> duration == null || !(duration.isNegative() || duration.isZero()));
    }

    @AssertTrue(message = "WEBHOOK_RETRY_DELAY must not be above WEBHOOK_MAX_RETRY_DELAY")
    public boolean isRetryDelayWithinMax() {
        return retryDelay == null || maxRetryDelay == null || retryDelay.compareTo(maxRetryDelay) <= 0;
    }

    List<Cidr> allowed() {
        return allowedCidrs.stream().map(Cidr::parse).toList();
    }

    /**
     * How long an attempt is leased to the gateway that took it: past two timeouts, so a live gateway always
     * records its outcome first, and a dead one's attempt is sent again soon after.
     */
    Duration lease() {
        return timeout.multipliedBy(2).plus(LEASE_MARGIN);
    }
}
