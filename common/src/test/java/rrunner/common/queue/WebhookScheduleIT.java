package rrunner.common.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static rrunner.common.testing.Jobs.aSpecOf;
import static rrunner.common.testing.Jobs.aSuccessfulResult;

import io.github.resilience4j.core.IntervalFunction;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import rrunner.common.job.JobRecord;
import rrunner.common.job.JobState;
import rrunner.common.testing.RedisClientExtension;
import rrunner.common.testing.RedisTestContainer;

/** Webhook deliveries as the queue scripts schedule, lease and record them, on a real Redis. */
@Testcontainers
class WebhookScheduleIT {

    @Container
    static final GenericContainer<?> REDIS = RedisTestContainer.create();
    @RegisterExtension
    static final RedisClientExtension REDIS_CLIENT = RedisClientExtension.emptyingBeforeEach(REDIS);

    private static final String URL = "https://hooks.example.com/r-runner";
    private static final Duration LEASE = Duration.ofMinutes(1);

    private final RedisKeys keys = new RedisKeys("test");
    private final JobQueue queue = new JobQueue(keys, new QueuePolicy(3, 0, Duration.ofSeconds(15),
            Duration.ofMinutes(5), IntervalFunction.of(Duration.ofMillis(1)), 1000), REDIS_CLIENT.reactive());
    private final WebhookSchedule schedule = new WebhookSchedule(keys, REDIS_CLIENT.reactive());

    @Test
    void aJobWithAWebhookIsPendingFromItsSubmitAndDueOnceItEnds() {
        JobRecord job = submitWithWebhook();

        assertThat(schedule.find(job.id()).block())
                .isEqualTo(new WebhookDelivery(URL, WebhookStatus.PENDING, 0, null, null));
        assertThat(takeDue()).isEmpty();

        finish();

        List<DueDelivery> due = takeDue();
        assertThat(due).singleElement().satisfies(delivery -> {
            assertThat(delivery.job()).isEqualTo(job.id());
            assertThat(delivery.url()).isEqualTo(URL);
            assertThat(delivery.attempt()).isEqualTo(1);
            assertThat(delivery.tenant()).isEqualTo("acme");
        });
    }

    @Test
    void aJobCancelledWhileQueuedStillHasItsWebhookSent() {
        JobRecord job = submitWithWebhook();

        queue.cancel(job.id()).block();

        assertThat(takeDue()).extracting(DueDelivery::job).containsExactly(job.id());
    }

    @Test
    void aJobWithoutAWebhookSchedulesNothing() {
        queue.enqueue(aSpecOf("acme"), TenantPolicy.UNLIMITED, null).block();
        finish();

        assertThat(REDIS_CLIENT.sync().zcard(keys.webhookSchedule())).isZero();
    }

    @Test
    void anAttemptTakenIsLeasedSoNoOtherTakeGetsIt() {
        submitWithWebhook();
        finish();

        assertThat(takeDue()).hasSize(1);
        assertThat(takeDue()).isEmpty();
    }

    @Test
    void anAttemptWhoseLeaseRanOutIsTakenAgainAndItsLateOutcomeIsRefused() {
        JobRecord job = submitWithWebhook();
        finish();
        DueDelivery first = schedule.takeDue(Duration.ofMillis(100), 10, 5).blockFirst();

        DueDelivery again = awaitDue();

        assertThat(again.job()).isEqualTo(job.id());
        assertThat(again.attempt()).isEqualTo(2);
        assertThat(schedule.delivered(first, 200).block()).isFalse();
        assertThat(schedule.delivered(again, 204).block()).isTrue();
        assertThat(schedule.find(job.id()).block())
                .isEqualTo(new WebhookDelivery(URL, WebhookStatus.DELIVERED, 2, null, 204));
        assertThat(REDIS_CLIENT.sync().zcard(keys.webhookSchedule())).isZero();
    }

    @Test
    void aRetryComesDueAgainAfterItsDelayWithTheLastErrorShown() {
        JobRecord job = submitWithWebhook();
        finish();
        DueDelivery first = takeDue().get(0);

        assertThat(schedule.retry(first, Duration.ofMillis(300), 503, "HTTP 503").block()).isTrue();

        assertThat(schedule.find(job.id()).block())
                .isEqualTo(new WebhookDelivery(URL, WebhookStatus.PENDING, 1, "HTTP 503", 503));
        assertThat(takeDue()).isEmpty();
        assertThat(awaitDue().attempt()).isEqualTo(2);
    }

    @Test
    void aFailureThatGivesUpLeavesTheSchedule() {
        JobRecord job = submitWithWebhook();
        finish();

        assertThat(schedule.failed(takeDue().get(0), 410, "HTTP 410: the receiver is gone").block()).isTrue();

        assertThat(schedule.find(job.id()).block().status()).isEqualTo(WebhookStatus.FAILED);
        assertThat(REDIS_CLIENT.sync().zcard(keys.webhookSchedule())).isZero();
    }

    @Test
    void aDeliveryWhoseLastAttemptNeverReportedBackFails() {
        JobRecord job = submitWithWebhook();
        finish();
        schedule.takeDue(Duration.ofMillis(1), 10, 1).blockFirst();

        await().atMost(Duration.ofSeconds(5))
                .until(() -> schedule.takeDue(LEASE, 10, 1).collectList().block().isEmpty()
                        && schedule.find(job.id()).block().status() == WebhookStatus.FAILED);

        assertThat(schedule.find(job.id()).block().lastError()).contains("never reported back");
        assertThat(REDIS_CLIENT.sync().zcard(keys.webhookSchedule())).isZero();
    }

    @Test
    void theSameKeyWithAnotherWebhookIsAnotherRequest() {
        IdempotencyKey key = new IdempotencyKey("k");
        queue.enqueue(aSpecOf("acme"), TenantPolicy.UNLIMITED, key, URL).block();

        assertThatThrownBy(() -> queue.enqueue(aSpecOf("acme"), TenantPolicy.UNLIMITED, key, "https://other.example.com/").block())
                .isInstanceOf(IdempotencyKeyReusedException.class);
    }

    private JobRecord submitWithWebhook() {
        return queue.enqueue(aSpecOf("acme"), TenantPolicy.UNLIMITED, null, URL).block().job();
    }

    private void finish() {
        ClaimedJob claimed = queue.claim("w1").block();
        queue.finish(claimed, JobState.SUCCEEDED, aSuccessfulResult("1")).block();
    }

    private List<DueDelivery> takeDue() {
        return schedule.takeDue(LEASE, 10, 5).collectList().block();
    }

    private DueDelivery awaitDue() {
        return await().atMost(Duration.ofSeconds(5)).until(() -> takeDue(), due -> !due.isEmpty()).get(0);
    }
}
