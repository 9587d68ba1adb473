package rrunner.gateway.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.resilience4j.core.IntervalFunction;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import rrunner.common.job.JobId;
import rrunner.common.job.JobSpec;
import rrunner.common.job.JobState;
import rrunner.common.job.RunResult;
import rrunner.common.queue.ClaimedJob;
import rrunner.common.queue.JobQueue;
import rrunner.common.queue.QueuePolicy;
import rrunner.common.queue.RedisKeys;
import rrunner.common.queue.TenantPolicy;
import rrunner.common.queue.WebhookSchedule;
import rrunner.common.queue.WebhookStatus;
import rrunner.common.testing.RedisClientExtension;
import rrunner.common.testing.RedisTestContainer;
import rrunner.gateway.GatewayApplication;
import rrunner.gateway.testing.WebhookReceiver;
import rrunner.gateway.testing.WebhookReceiver.Received;

/**
 * Whole gateways, started and stopped by the test, sharing one Redis: the schedule outlives a gateway, and its
 * lease keeps two gateways from sending one attempt twice.
 */
@Testcontainers
class WebhookDispatchersIT {

    @Container
    static final GenericContainer<?> REDIS = RedisTestContainer.create();
    @RegisterExtension
    static final RedisClientExtension REDIS_CLIENT = RedisClientExtension.emptyingBeforeEach(REDIS);

    private static final Duration WAIT = Duration.ofSeconds(30);
    private final RedisKeys keys = new RedisKeys("rrunner");
    private final JobQueue queue = new JobQueue(keys, new QueuePolicy(3, 0, Duration.ofSeconds(15),
            Duration.ofMinutes(5), IntervalFunction.of(Duration.ofMillis(1)), 1000), REDIS_CLIENT.reactive());
    private final WebhookSchedule schedule = new WebhookSchedule(keys, REDIS_CLIENT.reactive());
    private final WebhookReceiver receiver = WebhookReceiver.start();

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    @Test
    void aGatewayStartedAfterAnotherStoppedMidScheduleSendsTheNextAttempt() {
        receiver.answers(500, 200);
        JobId job;
        try (ConfigurableApplicationContext first = gateway()) {
            job = finishedJobWithWebhook();
            await().atMost(WAIT).until(() -> schedule.find(job).block().lastStatusCode() != null);
        }
        assertThat(receiver.received()).hasSize(1);

        try (ConfigurableApplicationContext second = gateway()) {
            await().atMost(WAIT).until(() -> schedule.find(job).block().status() == WebhookStatus.DELIVERED);
        }

        assertThat(receiver.received()).hasSize(2)
                .extracting(request -> request.header("webhook-id")).containsOnly("job_" + job.value());
        assertThat(schedule.find(job).block().attempts()).isEqualTo(2);
    }

    @Test
    void twoGatewaysOnOneRedisSendEachAttemptExactlyOnce() {
        try (ConfigurableApplicationContext one = gateway(); ConfigurableApplicationContext two = gateway()) {
            List<JobId> jobs = IntStream.range(0, 20).mapToObj(i -> finishedJobWithWebhook()).toList();

            await().atMost(WAIT).until(() -> jobs.stream()
                    .allMatch(job -> schedule.find(job).block().status() == WebhookStatus.DELIVERED));

            assertThat(receiver.received()).hasSize(20)
                    .extracting(Received::body).doesNotHaveDuplicates();
            assertThat(receiver.received()).extracting(request -> request.header("webhook-id"))
                    .containsExactlyInAnyOrderElementsOf(jobs.stream().map(job -> "job_" + job.value()).toList());
        }
    }

    private JobId finishedJobWithWebhook() {
        JobSpec spec = new JobSpec("cat(1)", 30, 10, 1000, 1_000_000, null, 0, 0, List.of(), null,
                JobSpec.DEFAULT_TENANT);
        JobId id = queue.enqueue(spec, TenantPolicy.UNLIMITED, null, receiver.url("/hook")).block().job().id();
        ClaimedJob claimed = queue.claim("w1").block();
        queue.finish(claimed, JobState.SUCCEEDED, RunResult.ofScript(0, "1", "", List.of())).block();
        return id;
    }

    private ConfigurableApplicationContext gateway() {
        return new SpringApplicationBuilder(GatewayApplication.class).properties(Map.of(
                "PORT", "0",
                "REDIS_URL", RedisTestContainer.url(REDIS),
                "RUNNER_TOKEN", "webhook-token-0123456789",
                "WEBHOOK_SECRETS", "whsec_" + WebhookDeliveryIT.SECRET_BASE64,
                "WEBHOOK_ALLOW_HTTP", "true",
                "WEBHOOK_ALLOWED_CIDRS", "127.0.0.0/8",
                // why 3 s: the first gateway is closed well before the retry it scheduled comes due
                "WEBHOOK_RETRY_DELAY", "3s",
                "WEBHOOK_POLL_INTERVAL", "20ms")).run();
    }
}
