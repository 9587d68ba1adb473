package rrunner.gateway.tenants;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import rrunner.common.job.RunResult;
import rrunner.common.queue.SessionStore;
import rrunner.common.queue.WorkerRegistry;
import rrunner.gateway.testing.GatewayOnSharedRedis;
import rrunner.gateway.testing.SessionWorkerStub;
import tools.jackson.databind.JsonNode;

/** Tenants of a real tokens file on a real gateway and Redis: who sees what, quotas, and a reload without restart. */
@ExtendWith(OutputCaptureExtension.class)
class TenantsIT extends GatewayOnSharedRedis {

    private static final String ACME = "acme-token-0123456789";
    private static final String BETA = "beta-token-0123456789";
    private static final String SMALL = "small-token-0123456789";
    private static final String FLEETING = "fleeting-token-0123456789";
    private static final String RUNNER_TOKEN = "runner-token-0123456789";
    private static final String TENANTS = """
            tenants:
              - id: acme
                token_sha256: [%s]
                weight: 3
                max_queued: 10
              - id: beta
                token_sha256: [%s]
              - id: small
                token_sha256: [%s]
                requests_per_minute: 3
                max_timeout_seconds: 10
                environments: [r-full]
            """.formatted(hash(ACME), hash(BETA), hash(SMALL));
    /** Written before the context starts, since a gateway with a bad tokens file does not start. */
    private static final Path FILE = tokensFile();
    private static final String FLEETING_TENANT = """
              - id: fleeting
                token_sha256: [%s]
            """.formatted(hash(FLEETING));

    @Autowired
    private SessionStore sessions;
    @Autowired
    private WorkerRegistry workers;

    @DynamicPropertySource
    static void tenants(DynamicPropertyRegistry registry) {
        registry.add("RUNNER_TOKEN", () -> RUNNER_TOKEN);
        registry.add("RUNNER_TOKENS_FILE", FILE::toString);
        registry.add("RUNNER_TOKENS_RELOAD_INTERVAL", () -> "100ms");
        registry.add("SESSION_START_TIMEOUT", () -> "2s");
    }

    /** Waits for the reload too: a test before this one may have left the gateway on another version. */
    @BeforeEach
    void theUsualTenants() {
        write(TENANTS);
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            JsonNode limits = meOf(SMALL).path("limits");
            return limits.path("max_queued").asInt() != 100 && "r-full".equals(limits.path("environments").path(0)
                    .stringValue());
        });
    }

    @Test
    void anotherTenantsJobAnswers404ToGetEventsAndCancel() {
        String id = submit(ACME).expectStatus().isAccepted().expectBody(JsonNode.class).returnResult()
                .getResponseBody().path("id").stringValue();

        get(BETA, "/jobs/" + id).expectStatus().isNotFound();
        get(BETA, "/jobs/" + id + "/events").expectStatus().isNotFound();
        client.delete().uri("/jobs/" + id).header(HttpHeaders.AUTHORIZATION, "Bearer " + BETA).exchange()
                .expectStatus().isNotFound();
        get(ACME, "/jobs/" + id).expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("queued");
    }

    @Test
    void anotherTenantsSessionAnswers404() {
        try (SessionWorkerStub worker = SessionWorkerStub.hosting(queue, sessions, workers, 10,
                script -> RunResult.ofScript(0, "", "", List.of()))) {
            String id = post(ACME, "/sessions", "").expectStatus().isCreated().expectBody(JsonNode.class)
                    .returnResult().getResponseBody().path("id").stringValue();

            get(BETA, "/sessions/" + id).expectStatus().isNotFound();
            post(BETA, "/sessions/" + id + "/exec", "{\"script\": \"1\"}").expectStatus().isNotFound();
            get(BETA, "/sessions").expectStatus().isOk().expectBody().jsonPath("$.length()").isEqualTo(0);
            get(ACME, "/sessions/" + id).expectStatus().isOk();
        }
    }

    @Test
    void sessionsNeedAToken() {
        client.get().uri("/sessions").exchange().expectStatus().isUnauthorized();
        client.post().uri("/sessions").exchange().expectStatus().isUnauthorized();
    }

    @Test
    void fiftyParallelSubmitsAgainstMaxQueuedTenAcceptExactlyTen() {
        ExecutorService pool = Executors.newFixedThreadPool(50);
        try {
            List<CompletableFuture<WebTestClient.ResponseSpec>> submits = IntStream.range(0, 50)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> submit(ACME), pool)).toList();
            List<HttpStatus> statuses = submits.stream()
                    .map(submit -> HttpStatus.valueOf(submit.join().returnResult(byte[].class).getStatus().value()))
                    .toList();

            assertThat(statuses).filteredOn(HttpStatus.ACCEPTED::equals).hasSize(10);
            assertThat(statuses).filteredOn(HttpStatus.TOO_MANY_REQUESTS::equals).hasSize(40);
        } finally {
            pool.shutdownNow();
        }
        submit(ACME).expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
                .expectHeader().exists(HttpHeaders.RETRY_AFTER)
                .expectBody()
                .jsonPath("$.type").isEqualTo("urn:rrunner:problem:tenant-queue-full")
                .jsonPath("$.limit").isEqualTo(10)
                .jsonPath("$.current").isEqualTo(10);
        submit(BETA).expectStatus().isAccepted();
    }

    @Test
    void theRequestRateIsATokenBucketOverPostsOnly() {
        write(TENANTS.replace("requests_per_minute: 3", "requests_per_minute: 3\n    max_queued: 100")
                .replace("environments: [r-full]", "environments: [r-base]"));
        await().atMost(Duration.ofSeconds(10)).until(() -> meOf(SMALL).path("limits").path("max_queued").asInt()
                == 100);

        IntStream.range(0, 3).forEach(i -> submit(SMALL).expectStatus().isAccepted());
        IntStream.range(0, 5).forEach(i -> get(SMALL, "/me").expectStatus().isOk());

        submit(SMALL).expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
                .expectHeader().valueMatches(HttpHeaders.RETRY_AFTER, "1[5-9]|20")
                .expectBody()
                .jsonPath("$.type").isEqualTo("urn:rrunner:problem:rate-limited")
                .jsonPath("$.limit").isEqualTo(3)
                .jsonPath("$.current").isEqualTo(3);
    }

    @Test
    void aLimitOverTheTenantsMaximumAnswers422WithBothNumbers() {
        write(TENANTS.replace("environments: [r-full]", "environments: [r-base]"));
        await().atMost(Duration.ofSeconds(10)).until(() -> meOf(SMALL).path("limits").path("environments")
                .path(0).stringValue().equals("r-base"));

        post(SMALL, "/jobs", "{\"script\": \"1\", \"limits\": {\"timeout_seconds\": 20}}")
                .expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
                .expectBody()
                .jsonPath("$.type").isEqualTo("urn:rrunner:problem:limit-exceeded")
                .jsonPath("$.field").isEqualTo("limits.timeout_seconds")
                .jsonPath("$.requested").isEqualTo(20)
                .jsonPath("$.limit").isEqualTo(10);
    }

    @Test
    void anEnvironmentNotTheTenantsAnswers403() {
        submit(SMALL).expectStatus().isForbidden()
                .expectBody()
                .jsonPath("$.type").isEqualTo("urn:rrunner:problem:environment-not-allowed")
                .jsonPath("$.environment").isEqualTo("r-base")
                .jsonPath("$.allowed[0]").isEqualTo("r-full");
    }

    @Test
    void queueShowsTheOperatorEveryTenantAndAnyOtherTenantOnlyItself() {
        submit(ACME).expectStatus().isAccepted();
        submit(BETA).expectStatus().isAccepted();

        assertThat(queueTenants(RUNNER_TOKEN)).contains("acme:1", "beta:1", "small:0", "default:0");
        assertThat(queueTenants(ACME)).containsExactly("acme:1");
        assertThat(queueTenants(SMALL)).containsExactly("small:0");
    }

    @Test
    void meShowsTheTenantItsLimitsAndUsage() {
        submit(ACME).expectStatus().isAccepted();

        JsonNode me = meOf(ACME);

        assertThat(me.path("tenant").stringValue()).isEqualTo("acme");
        assertThat(me.path("weight").asInt()).isEqualTo(3);
        assertThat(me.path("limits").path("max_queued").asInt()).isEqualTo(10);
        assertThat(me.path("usage").path("queued").asLong()).isEqualTo(1);
        assertThat(me.path("usage").path("running").asLong()).isZero();
        assertThat(me.path("usage").path("sessions").asLong()).isZero();
        assertThat(meOf(BETA).path("usage").path("queued").asLong()).isZero();
    }

    @Test
    void runnerTokenBesideTheFileIsTheTenantDefault() {
        assertThat(meOf(RUNNER_TOKEN).path("tenant").stringValue()).isEqualTo("default");
    }

    @Test
    void aTokenRemovedFromTheFileAnswers401AfterTheReloadWithoutARestart() {
        write(TENANTS + FLEETING_TENANT);
        await().atMost(Duration.ofSeconds(10)).until(() -> status(FLEETING) == HttpStatus.OK);

        write(TENANTS);

        await().atMost(Duration.ofSeconds(10)).until(() -> status(FLEETING) == HttpStatus.UNAUTHORIZED);
        get(ACME, "/me").expectStatus().isOk();
    }

    @Test
    void aBadFileOnReloadKeepsTheLastGoodTenants(CapturedOutput output) {
        write(TENANTS + FLEETING_TENANT);
        await().atMost(Duration.ofSeconds(10)).until(() -> status(FLEETING) == HttpStatus.OK);

        write("tenants: [{id: fleeting}]");

        await().atMost(Duration.ofSeconds(10))
                .until(() -> output.getAll().contains("keeping the tenants of its last good version"));
        get(FLEETING, "/me").expectStatus().isOk();
        assertThat(output.getAll()).doesNotContain(FLEETING).doesNotContain(hash(FLEETING));
    }

    private HttpStatus status(String token) {
        return HttpStatus.valueOf(get(token, "/me").returnResult(byte[].class).getStatus().value());
    }

    private List<String> queueTenants(String token) {
        return get(token, "/queue").expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody()
                .path("tenants").valueStream()
                .map(load -> load.path("tenant").stringValue() + ":" + load.path("waiting").asLong()).toList();
    }

    private JsonNode meOf(String token) {
        return get(token, "/me").expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    private WebTestClient.ResponseSpec submit(String token) {
        return post(token, "/jobs", "{\"script\": \"cat(1)\"}");
    }

    private WebTestClient.ResponseSpec post(String token, String path, String body) {
        return client.post().uri(path).header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private WebTestClient.ResponseSpec get(String token, String path) {
        return client.get().uri(path).header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange();
    }

    private static String hash(String token) {
        return HexFormat.of().formatHex(TenantDirectory.sha256(token));
    }

    private static Path tokensFile() {
        try {
            Path file = Files.createTempFile("tokens", ".yaml");
            file.toFile().deleteOnExit();
            Files.writeString(file, TENANTS);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(String yaml) {
        try {
            Path next = Files.createTempFile(FILE.getParent(), "tokens", ".tmp");
            Files.writeString(next, yaml);
            // why a rename: the poller must never read a half-written file, as a Secret's update never shows one
            Files.move(next, FILE, StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
