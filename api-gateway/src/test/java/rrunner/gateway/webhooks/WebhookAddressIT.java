package rrunner.gateway.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.convention.TestBean;
import org.springframework.test.web.reactive.server.WebTestClient;
import rrunner.common.job.RunResult;
import rrunner.gateway.testing.GatewayOnSharedRedis;
import rrunner.gateway.testing.HandDrivenWorker;
import rrunner.gateway.testing.WebhookReceiver;
import tools.jackson.databind.JsonNode;

/**
 * Where webhooks may go, checked at submit and at each attempt, on a gateway with no allow-list: only public
 * addresses. The host {@value #REBINDING} resolves as a rebinding attacker's DNS would: public first, loopback after.
 */
class WebhookAddressIT extends GatewayOnSharedRedis {

    private static final String TOKEN = "webhook-token-0123456789";
    private static final String UNSIGNED_TOKEN = "unsigned-token-0123456789";
    private static final String REBINDING = "rebinding.example.test";
    private static final AtomicInteger LOOKUPS = new AtomicInteger();
    private static final Path TOKENS = tokensFile();

    @TestBean
    HostResolver hostResolver;

    private final WebhookReceiver receiver = WebhookReceiver.start();

    static HostResolver hostResolver() {
        return host -> {
            if (!host.equals(REBINDING)) {
                return HostResolver.system().resolve(host);
            }
            return List.of(InetAddress.getByName(LOOKUPS.getAndIncrement() == 0 ? "93.184.216.34" : "127.0.0.1"));
        };
    }

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("RUNNER_TOKEN", () -> TOKEN);
        registry.add("RUNNER_TOKENS_FILE", TOKENS::toString);
        registry.add("WEBHOOK_SECRETS", () -> "whsec_" + WebhookDeliveryIT.SECRET_BASE64);
        // why http allowed: the rebinding target is the receiver on loopback, plain http like every test receiver
        registry.add("WEBHOOK_ALLOW_HTTP", () -> "true");
        registry.add("WEBHOOK_POLL_INTERVAL", () -> "50ms");
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    @ParameterizedTest
    @CsvSource({
        "https://127.0.0.1/hook, webhook-address-forbidden",
        "https://10.0.0.1/hook, webhook-address-forbidden",
        "https://169.254.169.254/latest/meta-data/, webhook-address-forbidden",
        "https://[::1]/hook, webhook-address-forbidden",
        "https://[::ffff:127.0.0.1]/hook, webhook-address-forbidden",
        "https://0x7f000001/hook, invalid-webhook",
        "https://localhost/hook, webhook-address-forbidden",
        "https://user:secret@hooks.example.com/hook, invalid-webhook"})
    void aWebhookToAnAddressNotPublicIsRefusedAtSubmitAndStoresNothing(String url, String type) {
        JsonNode problem = submit(TOKEN, url).expectStatus().isEqualTo(422)
                .expectBody(JsonNode.class).returnResult().getResponseBody();

        assertThat(problem.path("type").stringValue()).isEqualTo("urn:rrunner:problem:" + type);
        assertThat(problem.path("field").stringValue()).isEqualTo("webhook.url");
        assertThat(redis.sync().llen(queue.keys().waiting())).isZero();
    }

    @Test
    void aTenantWithoutASecretMayNotAskForAWebhook() {
        JsonNode problem = submit(UNSIGNED_TOKEN, "https://hooks.example.com/hook").expectStatus().isEqualTo(422)
                .expectBody(JsonNode.class).returnResult().getResponseBody();

        assertThat(problem.path("type").stringValue()).isEqualTo("urn:rrunner:problem:webhook-secret-missing");
        assertThat(problem.path("detail").stringValue()).contains("webhook_secrets");
    }

    @Test
    void aHostThatRebindsToLoopbackAfterTheSubmitGetsNoConnection() {
        LOOKUPS.set(0);
        String id = submit(TOKEN, "http://" + REBINDING + ":" + receiver.port() + "/hook").expectStatus().isAccepted()
                .expectBody(JsonNode.class).returnResult().getResponseBody().path("id").stringValue();
        HandDrivenWorker worker = new HandDrivenWorker(queue);
        worker.finishes(worker.takeJob(), RunResult.ofScript(0, "", "", List.of()));

        await().atMost(Duration.ofSeconds(20)).until(() -> webhook(id).path("status").stringValue().equals("failed"));

        assertThat(LOOKUPS.get()).isEqualTo(2);
        assertThat(webhook(id).path("last_error").stringValue()).contains("127.0.0.1 is loopback");
        assertThat(receiver.received()).isEmpty();
    }

    private WebTestClient.ResponseSpec submit(String token, String url) {
        return client.post().uri("/jobs").header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("script", "cat(1)", "webhook", Map.of("url", url)))
                .exchange();
    }

    private JsonNode webhook(String id) {
        return client.get().uri("/jobs/" + id).header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN)
                .exchange().expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody()
                .path("webhook");
    }

    private static Path tokensFile() {
        try {
            Path file = Files.createTempFile("tenants", ".yaml");
            Files.writeString(file, "tenants:\n  - id: unsigned\n    token_sha256: ["
                    + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                            .digest(UNSIGNED_TOKEN.getBytes(StandardCharsets.UTF_8))) + "]\n");
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
