package rrunner.gateway.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import rrunner.common.queue.WebhookStatus;
import rrunner.gateway.webhooks.DeliveryRules.Decision;

class DeliveryRulesTest {

    private static final Instant FINISHED = Instant.parse("2026-12-07T21:00:00Z");
    private static final WebhookProperties SETTINGS = new WebhookProperties(List.of(), false, Duration.ofSeconds(10),
            5, Duration.ofHours(1), Duration.ofSeconds(10), Duration.ofMinutes(10), Duration.ofSeconds(1));

    private final DeliveryRules lowestJitter = new DeliveryRules(SETTINGS, () -> 0.0);
    private final DeliveryRules highestJitter = new DeliveryRules(SETTINGS, () -> 0.999_999);

    @Test
    void a2xxIsDelivered() {
        assertThat(decide(1, ReceiverAnswer.answered(204, Optional.empty())).status())
                .isEqualTo(WebhookStatus.DELIVERED);
    }

    @ParameterizedTest
    @ValueSource(ints = {408, 429, 500, 502, 503, 504})
    void retriesServerErrorsTooManyRequestsAndTimeouts(int status) {
        Decision decision = decide(1, ReceiverAnswer.answered(status, Optional.empty()));

        assertThat(decision.status()).isEqualTo(WebhookStatus.PENDING);
        assertThat(decision.error()).isEqualTo("HTTP " + status);
    }

    @Test
    void retriesWhenNoAnswerCame() {
        assertThat(decide(1, ReceiverAnswer.noAnswer("connection refused")).status())
                .isEqualTo(WebhookStatus.PENDING);
    }

    @ParameterizedTest
    @ValueSource(ints = {301, 302, 307, 308, 400, 401, 404, 410})
    void givesUpOnRedirectsGoneAndOtherClientErrors(int status) {
        assertThat(decide(1, ReceiverAnswer.answered(status, Optional.empty())).status())
                .isEqualTo(WebhookStatus.FAILED);
    }

    @Test
    void givesUpOnAnAddressRefusedAtTheAttempt() {
        assertThat(decide(1, ReceiverAnswer.refused("127.0.0.1 is loopback")))
                .isEqualTo(new Decision(WebhookStatus.FAILED, Duration.ZERO, "127.0.0.1 is loopback"));
    }

    @Test
    void eachWaitIsLongerThanTheOneBeforeWhateverTheJitter() {
        for (int attempt = 1; attempt < 6; attempt++) {
            assertThat(lowestJitter.backoff(attempt + 1)).isGreaterThan(highestJitter.backoff(attempt));
        }
        assertThat(lowestJitter.backoff(1)).isEqualTo(Duration.ofMillis(7500));
        assertThat(highestJitter.backoff(2)).isBetween(Duration.ofMillis(19_999), Duration.ofSeconds(20));
    }

    @Test
    void waitsNeverPassTheLongestRetryDelay() {
        assertThat(highestJitter.backoff(30)).isLessThanOrEqualTo(Duration.ofMinutes(10));
        assertThat(lowestJitter.backoff(30)).isEqualTo(Duration.ofMillis(450_000));
    }

    @Test
    void honoursALongerRetryAfterUpToTheCap() {
        assertThat(decide(1, ReceiverAnswer.answered(429, Optional.of(Duration.ofMinutes(2)))).retryIn())
                .isEqualTo(Duration.ofMinutes(2));
        assertThat(decide(1, ReceiverAnswer.answered(503, Optional.of(Duration.ofDays(2)))).retryIn())
                .isEqualTo(Duration.ofMinutes(10));
        assertThat(decide(1, ReceiverAnswer.answered(503, Optional.of(Duration.ZERO))).retryIn())
                .isEqualTo(Duration.ofMillis(7500));
    }

    @Test
    void givesUpAfterTheLastAttempt() {
        Decision decision = decide(5, ReceiverAnswer.answered(500, Optional.empty()));

        assertThat(decision.status()).isEqualTo(WebhookStatus.FAILED);
        assertThat(decision.error()).isEqualTo("gave up after 5 attempts; the last: HTTP 500");
    }

    @Test
    void givesUpWhenTheNextAttemptWouldComePastTheMaxAge() {
        Decision decision = lowestJitter.decide(2, FINISHED, FINISHED.plus(Duration.ofMinutes(59)).plusSeconds(50),
                ReceiverAnswer.answered(500, Optional.empty()));

        assertThat(decision.status()).isEqualTo(WebhookStatus.FAILED);
        assertThat(decision.error()).contains("WEBHOOK_MAX_AGE");
    }

    private Decision decide(int attempt, ReceiverAnswer answer) {
        return lowestJitter.decide(attempt, FINISHED, FINISHED.plusSeconds(1), answer);
    }
}
