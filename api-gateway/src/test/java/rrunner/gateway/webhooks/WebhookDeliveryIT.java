package rrunner.gateway.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import rrunner.common.job.RunResult;
import rrunner.gateway.testing.GatewayOnSharedRedis;
import rrunner.gateway.testing.HandDrivenWorker;
import rrunner.gateway.testing.QueueWorkerStub;
import rrunner.gateway.testing.WebhookReceiver;
import rrunner.gateway.testing.WebhookReceiver.Answer;
import rrunner.gateway.testing.WebhookReceiver.Received;
import tools.jackson.databind.JsonNode;

/** Webhooks of ended jobs, sent by a real gateway from Redis to a real receiver on loopback (allowed for the test). */
class WebhookDeliveryIT extends GatewayOnSharedRedis {

    static final String TOKEN = "webhook-token-0123456789";
    /** 32 random bytes, base64: the receiver's copy of the secret. */
    static final String SECRET_BASE64 = "3q2+7wAAAAARIjNEVWZ3iJmqu8zd7v8AESIzRFVmd4g=";
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final WebhookReceiver receiver = WebhookReceiver.start();
    @Autowired
    private MeterRegistry meters;

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("RUNNER_TOKEN", () -> TOKEN);
        registry.add("WEBHOOK_SECRETS", () -> "whsec_" + SECRET_BASE64);
        registry.add("WEBHOOK_ALLOW_HTTP", () -> "true");
        registry.add("WEBHOOK_ALLOWED_CIDRS", () -> "127.0.0.0/8");
        registry.add("WEBHOOK_RETRY_DELAY", () -> "400ms");
        registry.add("WEBHOOK_POLL_INTERVAL", () -> "50ms");
        registry.add("WEBHOOK_TIMEOUT", () -> "2s");
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    @Test
    void retriesAfterServerErrorsWithGrowingGapsOneIdAndAVerifiableSignature() {
        receiver.answers(500, 500, 200);
        double retriedBefore = attempts("retried");
        double deliveredBefore = attempts("delivered");
        String id = submitAndFinish(receiver.url("/hook"));

        await().atMost(WAIT).until(() -> receiver.received("/hook").size() == 3);
        List<Received> attempts = receiver.received("/hook");

        assertThat(attempts).extracting(attempt -> attempt.header("webhook-id")).containsOnly("job_" + id);
        Duration firstGap = Duration.between(attempts.get(0).at(), attempts.get(1).at());
        Duration secondGap = Duration.between(attempts.get(1).at(), attempts.get(2).at());
        assertThat(firstGap).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(secondGap).isGreaterThan(firstGap);
        assertThat(attempts).allSatisfy(WebhookDeliveryIT::assertSignedWithTheSecret);
        JsonNode body = JSON.readTree(attempts.get(2).body());
        assertThat(body.path("type").stringValue()).isEqualTo("job.finished");
        assertThat(body.path("data").path("id").stringValue()).isEqualTo(id);
        assertThat(body.path("data").path("status").stringValue()).isEqualTo("succeeded");
        assertThat(body.path("data").path("url").stringValue()).endsWith("/jobs/" + id);
        awaitDelivery(id, "delivered");
        JsonNode webhook = job(id).path("webhook");
        assertThat(webhook.path("attempts").intValue()).isEqualTo(3);
        assertThat(webhook.path("last_status_code").intValue()).isEqualTo(200);
        // why await: the counter counts once the outcome is recorded, a moment after the view can show it
        await().atMost(WAIT).until(() -> attempts("delivered") - deliveredBefore == 1);
        assertThat(attempts("retried") - retriedBefore).isEqualTo(2);
    }

    @Test
    void aRedirectIsNotFollowedAndEndsTheDelivery() {
        receiver.answers(new Answer(302, Map.of("Location", receiver.url("/elsewhere"))));
        String id = submitAndFinish(receiver.url("/hook"));

        awaitDelivery(id, "failed");

        assertThat(receiver.received("/hook")).hasSize(1);
        assertThat(receiver.received("/elsewhere")).isEmpty();
        JsonNode webhook = job(id).path("webhook");
        assertThat(webhook.path("last_status_code").intValue()).isEqualTo(302);
        assertThat(webhook.path("last_error").stringValue()).contains("redirects are not followed");
    }

    @Test
    void goneStopsTheRetries() {
        receiver.answers(410, 200);
        String id = submitAndFinish(receiver.url("/hook"));

        awaitDelivery(id, "failed");

        assertThat(receiver.received("/hook")).hasSize(1);
        assertThat(job(id).path("webhook").path("attempts").intValue()).isEqualTo(1);
    }

    @Test
    void theJobViewShowsTheDeliveryPendingUntilTheJobEnds() {
        String id = submit(receiver.url("/hook"));

        JsonNode webhook = job(id).path("webhook");

        assertThat(webhook.path("status").stringValue()).isEqualTo("pending");
        assertThat(webhook.path("attempts").intValue()).isZero();
        assertThat(webhook.path("url").stringValue()).isEqualTo(receiver.url("/hook"));
        assertThat(receiver.received()).isEmpty();
    }

    @Test
    void aSynchronousRunTellsItsWebhookToo() {
        try (QueueWorkerStub worker = QueueWorkerStub.finishing(queue,
                script -> RunResult.ofScript(0, "1", "", List.of()))) {
            client.post().uri("/run").header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN)
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("script", "cat(1)", "webhook", Map.of("url", receiver.url("/hook"))))
                    .exchange().expectStatus().isOk().expectBody().jsonPath("$.stdout").isEqualTo("1");
        }

        await().atMost(WAIT).until(() -> receiver.received("/hook").size() == 1);

        assertSignedWithTheSecret(receiver.received("/hook").get(0));
    }

    String submit(String url) {
        return client.post().uri("/jobs").header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("script", "cat(1)", "webhook", Map.of("url", url)))
                .exchange().expectStatus().isAccepted()
                .expectBody(JsonNode.class).returnResult().getResponseBody().path("id").stringValue();
    }

    private String submitAndFinish(String url) {
        String id = submit(url);
        HandDrivenWorker worker = new HandDrivenWorker(queue);
        worker.finishes(worker.takeJob(), RunResult.ofScript(0, "1", "", List.of()));
        return id;
    }

    private double attempts(String outcome) {
        return meters.get(DeliveryCounter.NAME).tag("outcome", outcome).counter().count();
    }

    private JsonNode job(String id) {
        return client.get().uri("/jobs/" + id).header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN)
                .exchange().expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    private void awaitDelivery(String id, String status) {
        await().atMost(WAIT).until(() -> job(id).path("webhook").path("status").stringValue().equals(status));
    }

    /** Verifies as a receiver would, with the JDK's HMAC rather than the gateway's signer. */
    static void assertSignedWithTheSecret(Received request) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(SECRET_BASE64), "HmacSHA256"));
            String signed = request.header("webhook-id") + "." + request.header("webhook-timestamp") + "."
                    + request.body();
            String expected = "v1," + Base64.getEncoder().encodeToString(
                    mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
            assertThat(request.header("webhook-signature").split(" ")).contains(expected);
            assertThat(Long.parseLong(request.header("webhook-timestamp")))
                    .isCloseTo(System.currentTimeMillis() / 1000, Offset.offset(60L));
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }
}
