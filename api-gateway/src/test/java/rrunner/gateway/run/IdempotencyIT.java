package rrunner.gateway.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import rrunner.common.job.JobRecord;
import rrunner.common.job.JobState;
import rrunner.common.job.RunResult;
import rrunner.common.queue.ClaimedJob;
import rrunner.gateway.testing.GatewayOnSharedRedis;
import rrunner.gateway.testing.HandDrivenWorker;
import rrunner.gateway.testing.QueueWorkerStub;
import tools.jackson.databind.JsonNode;

/** {@code Idempotency-Key} on {@code POST /run} and {@code POST /jobs}: a real gateway and Redis, stub workers. */
class IdempotencyIT extends GatewayOnSharedRedis {

    private static final String ACME = "acme-token-0123456789";
    private static final String BETA = "beta-token-0123456789";
    private static final String BODY = "{\"script\": \"cat(1)\"}";
    /** The same request as {@link #BODY}, written otherwise: the fingerprint is of the parsed request. */
    private static final String BODY_RESPACED = "{ \"script\" :\n  \"cat(1)\" }";
    private static final Path FILE = tokensFile();

    @DynamicPropertySource
    static void tenants(DynamicPropertyRegistry registry) {
        registry.add("RUNNER_TOKEN", () -> "runner-token-0123456789");
        registry.add("RUNNER_TOKENS_FILE", FILE::toString);
        registry.add("MAX_SCRIPT_BYTES", () -> "100");
    }

    @Test
    void theSameKeyAndRequestTwiceMakeOneJobAndReplayTheFirst202() {
        JsonNode first = readJson(submit(ACME, "k-1", BODY).expectStatus().isAccepted()
                .expectHeader().doesNotExist(IdempotencyKeyHeader.REPLAYED));

        JsonNode second = readJson(submit(ACME, "k-1", BODY_RESPACED).expectStatus().isAccepted()
                .expectHeader().valueEquals(IdempotencyKeyHeader.REPLAYED, "true")
                .expectHeader().valueEquals(HttpHeaders.LOCATION, "/jobs/" + first.path("id").stringValue()));

        assertThat(second).isEqualTo(first);
        assertThat(waitingJobs()).isEqualTo(1);
    }

    @Test
    void fiftyParallelRequestsWithOneKeyMakeOneJob() {
        WebClient web = WebClient.create("http://localhost:" + port);
        List<String> ids = Flux.range(0, 50)
                .flatMap(i -> web.post().uri("/jobs").header(HttpHeaders.AUTHORIZATION, "Bearer " + ACME)
                        .header(IdempotencyKeyHeader.HEADER, "k-50").contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(BODY).retrieve().bodyToMono(JsonNode.class), 50)
                .map(job -> job.path("id").stringValue())
                .collectList().block(Duration.ofSeconds(30));

        assertThat(ids).hasSize(50).containsOnly(ids.get(0));
        assertThat(waitingJobs()).isEqualTo(1);
    }

    @Test
    void theSameKeyWithAnotherRequestAnswers422AndStoresNothing() {
        submit(ACME, "k-2", BODY).expectStatus().isAccepted();

        JsonNode problem = readJson(submit(ACME, "k-2", "{\"script\": \"cat(2)\"}")
                .expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT));

        assertThat(problem.path("type").stringValue()).isEqualTo("urn:rrunner:problem:idempotency-key-reused");
        assertThat(problem.path("detail").stringValue()).contains("different request");
        assertThat(waitingJobs()).isEqualTo(1);
    }

    @Test
    void theSameKeyFromTwoTenantsMakesTwoJobs() {
        String acme = readJson(submit(ACME, "k-3", BODY).expectStatus().isAccepted()).path("id").stringValue();

        String beta = readJson(submit(BETA, "k-3", BODY).expectStatus().isAccepted()
                .expectHeader().doesNotExist(IdempotencyKeyHeader.REPLAYED)).path("id").stringValue();

        assertThat(beta).isNotEqualTo(acme);
        assertThat(waitingJobs()).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "caf\u00e9", "tab\tinside",
            "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789"
                    + "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789"
                    + "01234567890123456789012345678901234567890123456789012345"})
    void aMalformedKeyAnswers400AndStoresNothing(String key) {
        JsonNode problem = readJson(submit(ACME, key, BODY).expectStatus().isBadRequest());

        assertThat(problem.path("type").stringValue()).isEqualTo("urn:rrunner:problem:invalid-idempotency-key");
        assertThat(waitingJobs()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"script\": 1}", "{\"script\": \"cat('over the hundred bytes MAX_SCRIPT_BYTES allows"
            + " in this test, so refused with 413 before a job exists')\"}"})
    void aRequestRefusedForBadInputStoresNoKey(String refused) {
        submit(ACME, "k-4", refused).expectStatus().value(status -> assertThat(status).isIn(413, 422));

        submit(ACME, "k-4", BODY).expectStatus().isAccepted()
                .expectHeader().doesNotExist(IdempotencyKeyHeader.REPLAYED);
        assertThat(waitingJobs()).isEqualTo(1);
    }

    @Test
    void aKeyedRunRetriedAfterItFinishedAnswersTheFirstResultWithoutRunningAgain() {
        AtomicInteger runs = new AtomicInteger();
        try (QueueWorkerStub worker = QueueWorkerStub.finishing(queue,
                script -> RunResult.ofScript(0, "run " + runs.incrementAndGet() + "\n", "", List.of()))) {
            run(ACME, "k-5").expectStatus().isOk().expectHeader().doesNotExist(IdempotencyKeyHeader.REPLAYED)
                    .expectBody().jsonPath("$.stdout").isEqualTo("run 1\n");

            run(ACME, "k-5").expectStatus().isOk().expectHeader().valueEquals(IdempotencyKeyHeader.REPLAYED, "true")
                    .expectBody().jsonPath("$.stdout").isEqualTo("run 1\n");
        }
        assertThat(runs).hasValue(1);
    }

    /** RUN_CANCEL_ON_DISCONNECT is on (its default), so an unkeyed run would have its running job cancelled. */
    @Test
    void aDisconnectedKeyedRunRetriedAnswersTheFirstRunsResult() {
        HandDrivenWorker worker = new HandDrivenWorker(queue);
        Disposable first = runLater(ACME, "k-6").subscribe();
        ClaimedJob job = worker.takeJob();
        await().atMost(Duration.ofSeconds(10)).until(() -> waiters.waiting() == 1);
        first.dispose();
        await().atMost(Duration.ofSeconds(10)).until(() -> waiters.waiting() == 0);

        CompletableFuture<ResponseEntity<String>> retry = runLater(ACME, "k-6").toFuture();
        await().atMost(Duration.ofSeconds(10)).until(() -> waiters.waiting() == 1);
        worker.finishes(job, RunResult.ofScript(0, "first\n", "", List.of()));

        ResponseEntity<String> answer = retry.join();
        assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(answer.getHeaders().getFirst(IdempotencyKeyHeader.REPLAYED)).isEqualTo("true");
        assertThat(JSON.readTree(answer.getBody()).path("stdout").stringValue()).isEqualTo("first\n");
        JobRecord ended = queue.find(job.id()).block(Duration.ofSeconds(5));
        assertThat(ended.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(ended.cancelRequested()).isFalse();
        assertThat(worker.tryTake()).isEmpty();
    }

    private WebTestClient.ResponseSpec submit(String token, String key, String body) {
        return client.post().uri("/jobs").header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .header(IdempotencyKeyHeader.HEADER, key).contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange();
    }

    private WebTestClient.ResponseSpec run(String token, String key) {
        return client.post().uri("/run").header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .header(IdempotencyKeyHeader.HEADER, key).contentType(MediaType.APPLICATION_JSON).bodyValue(BODY)
                .exchange();
    }

    private Mono<ResponseEntity<String>> runLater(String token, String key) {
        return WebClient.create("http://localhost:" + port).post().uri("/run")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token).header(IdempotencyKeyHeader.HEADER, key)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(BODY).retrieve().toEntity(String.class);
    }

    private long waitingJobs() {
        return redis.sync().llen(queue.keys().waiting());
    }

    private static JsonNode readJson(WebTestClient.ResponseSpec response) {
        return JSON.readTree(response.expectBody(String.class).returnResult().getResponseBody());
    }

    private static Path tokensFile() {
        try {
            Path file = Files.createTempFile("tokens", ".yaml");
            file.toFile().deleteOnExit();
            Files.writeString(file, """
                    tenants:
                      - id: acme
                        token_sha256: [%s]
                      - id: beta
                        token_sha256: [%s]
                    """.formatted(hash(ACME), hash(BETA)));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
