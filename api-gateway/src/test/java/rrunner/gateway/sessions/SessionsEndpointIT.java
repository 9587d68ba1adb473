package rrunner.gateway.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import rrunner.common.job.JobSpec;
import rrunner.common.job.RunResult;
import rrunner.common.queue.SessionStore;
import rrunner.common.queue.WorkerRegistry;
import rrunner.common.session.SessionId;
import rrunner.common.session.SessionState;
import rrunner.gateway.testing.GatewayOnSharedRedis;
import rrunner.gateway.testing.SessionWorkerStub;
import tools.jackson.databind.JsonNode;

/** {@code /sessions} against a real Redis, with a stub worker that plays its part of the session protocol. */
@TestPropertySource(properties = {
        "RUNNER_TOKEN=" + SessionsEndpointIT.TOKEN, "SESSION_MAX_PER_TOKEN=5", "SESSION_START_TIMEOUT=2s",
        "SESSION_TTL=10m", "SESSION_MAX_TTL=1h", "RUN_QUEUE_TIMEOUT_SECONDS=5", "MAX_INPUT_FILE_BYTES=1000"})
class SessionsEndpointIT extends GatewayOnSharedRedis {

    static final String TOKEN = "sessions-token";

    @Autowired
    private SessionStore sessions;
    @Autowired
    private WorkerRegistry workers;

    @Test
    void createsAReadySessionWithWhatItApplied() {
        try (SessionWorkerStub worker = hosting(10)) {
            WebTestClient.ResponseSpec created = post("/sessions",
                    "{\"limits\": {\"memory_mb\": 256}, \"ttl_seconds\": 120, \"metadata\": {\"project\": \"a\"}}");

            JsonNode session = readJson(created.expectStatus().isCreated()
                    .expectHeader().valueMatches(HttpHeaders.LOCATION, "/sessions/[0-9a-f-]{36}"));
            assertThat(session.path("status").stringValue()).isEqualTo("ready");
            assertThat(session.path("environment").stringValue()).isEqualTo("r-base");
            assertThat(session.path("image_id").stringValue()).isEqualTo(SessionWorkerStub.IMAGE_ID);
            assertThat(session.path("limits").path("memory_mb").asLong()).isEqualTo(256);
            assertThat(session.path("ttl_seconds").asLong()).isEqualTo(120);
            assertThat(session.path("metadata").path("project").stringValue()).isEqualTo("a");
            assertThat(session.path("exec_count").asLong()).isZero();
            assertThat(session.hasNonNull("max_expires_at")).isTrue();
            assertThat(get("/sessions/" + session.path("id").stringValue()).expectStatus().isOk()
                    .expectBody().jsonPath("$.status").isEqualTo("ready"));
        }
    }

    @Test
    void anExecAnswersAsARunDoesAndCountsInTheSession() {
        try (SessionWorkerStub worker = hosting(10)) {
            String id = createSession();

            JsonNode result = readJson(post("/sessions/" + id + "/exec", "{\"script\": \"cat(x + 1)\"}")
                    .expectStatus().isOk());

            assertThat(result.path("stdout").stringValue()).isEqualTo("ran: cat(x + 1)");
            assertThat(result.path("exit_code").asInt()).isZero();
            JsonNode session = readJson(get("/sessions/" + id).expectStatus().isOk());
            assertThat(session.path("exec_count").asLong()).isEqualTo(1);
            assertThat(session.path("status").stringValue()).isEqualTo("ready");
        }
    }

    @Test
    void aSecondExecWhileOneRunsAnswers409WithRetryAfter() {
        try (SessionWorkerStub worker = hosting(10)) {
            String id = createSession();
            // why no worker for execs: the first exec stays queued, so the session stays busy
            worker.close();
            queue.enqueueSessionExec(execSpec(id), "default").block(Duration.ofSeconds(5));

            JsonNode problem = readJson(post("/sessions/" + id + "/exec", "{\"script\": \"1\"}")
                    .expectStatus().isEqualTo(HttpStatus.CONFLICT)
                    .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "1"));

            assertThat(problem.path("type").stringValue()).endsWith(":session-busy");
            assertThat(problem.path("status").asInt()).isEqualTo(409);
            assertThat(problem.path("session_status").stringValue()).isEqualTo("busy");
            assertThat(problem.path("session_id").stringValue()).isEqualTo(id);
        }
    }

    @Test
    void anExecMayNotAskForOtherLimits() {
        try (SessionWorkerStub worker = hosting(10)) {
            String id = createSession();

            JsonNode problem = readJson(post("/sessions/" + id + "/exec",
                    "{\"script\": \"1\", \"limits\": {\"timeout_seconds\": 5}}")
                    .expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT));

            assertThat(problem.path("field").stringValue()).isEqualTo("limits");
        }
    }

    @Test
    void aJobNamingTheSessionRunsThere() {
        try (SessionWorkerStub worker = hosting(10)) {
            String id = createSession();

            JsonNode job = readJson(post("/jobs", "{\"script\": \"cat(2)\", \"session\": \"" + id + "\"}")
                    .expectStatus().isAccepted());

            JsonNode done = readJson(get("/jobs/" + job.path("id").stringValue() + "?wait=10").expectStatus().isOk());
            assertThat(done.path("status").stringValue()).isEqualTo("succeeded");
            assertThat(done.path("result").path("stdout").stringValue()).isEqualTo("ran: cat(2)");
        }
    }

    @Test
    void aDeletedSessionAnswers410WithItsReasonAndTakesNoExec() {
        try (SessionWorkerStub worker = hosting(10)) {
            String id = createSession();

            delete("/sessions/" + id).expectStatus().isNoContent();

            JsonNode gone = readJson(get("/sessions/" + id).expectStatus().isEqualTo(HttpStatus.GONE));
            assertThat(gone.path("type").stringValue()).endsWith(":session-ended");
            assertThat(gone.path("session_status").stringValue()).isEqualTo("deleted");
            assertThat(gone.path("reason").stringValue()).isEqualTo("deleted by its owner");
            post("/sessions/" + id + "/exec", "{\"script\": \"1\"}").expectStatus().isEqualTo(HttpStatus.GONE);
            post("/sessions/" + id + "/keepalive", "").expectStatus().isEqualTo(HttpStatus.GONE);
            delete("/sessions/" + id).expectStatus().isEqualTo(HttpStatus.GONE);
            assertThat(readJson(get("/sessions").expectStatus().isOk())).singleElement()
                    .satisfies(listed -> assertThat(listed.path("status").stringValue()).isEqualTo("deleted"));
        }
    }

    @Test
    void anUnknownOrMalformedIdAnswers404() {
        JsonNode unknown = readJson(get("/sessions/" + SessionId.random()).expectStatus().isNotFound());
        assertThat(unknown.path("type").stringValue()).endsWith(":session-not-found");
        get("/sessions/not-an-id").expectStatus().isNotFound();
        post("/sessions/not-an-id/exec", "{\"script\": \"1\"}").expectStatus().isNotFound();
        JsonNode job = readJson(post("/jobs", "{\"script\": \"1\", \"session\": \"" + SessionId.random() + "\"}")
                .expectStatus().isNotFound());
        assertThat(job.path("type").stringValue()).endsWith(":session-not-found");
    }

    @Test
    void aTtlOverTheCapIsRefusedNeverClamped() {
        try (SessionWorkerStub worker = hosting(10)) {
            JsonNode problem = readJson(post("/sessions", "{\"ttl_seconds\": 3601}")
                    .expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT));

            assertThat(problem.path("type").stringValue()).endsWith(":limit-exceeded");
            assertThat(problem.path("field").stringValue()).isEqualTo("ttl_seconds");
            assertThat(problem.path("requested").asLong()).isEqualTo(3601);
            assertThat(problem.path("limit").asLong()).isEqualTo(3600);
            post("/sessions", "{\"ttl_seconds\": 0}").expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT);
            assertThat(redis.sync().keys("*session:*")).isEmpty();
        }
    }

    @Test
    void keepaliveStartsTheIdleTimeAgain() {
        try (SessionWorkerStub worker = hosting(10)) {
            String id = createSession();
            JsonNode before = readJson(get("/sessions/" + id).expectStatus().isOk());

            JsonNode after = readJson(post("/sessions/" + id + "/keepalive", "").expectStatus().isOk());

            assertThat(after.path("expires_at").stringValue())
                    .isGreaterThanOrEqualTo(before.path("expires_at").stringValue());
        }
    }

    @Test
    void twentyParallelCreatesAgainstACapOfFiveGiveExactlyFive() {
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try (SessionWorkerStub worker = hosting(100)) {
            List<CompletableFuture<HttpStatus>> creates = IntStream.range(0, 20)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> (HttpStatus) post("/sessions", "")
                            .returnResult(String.class).getStatus(), pool))
                    .toList();

            List<HttpStatus> statuses = creates.stream().map(CompletableFuture::join).toList();
            assertThat(statuses).filteredOn(HttpStatus.CREATED::equals).hasSize(5);
            assertThat(statuses).filteredOn(HttpStatus.TOO_MANY_REQUESTS::equals).hasSize(15);
            JsonNode problem = readJson(post("/sessions", "").expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS));
            assertThat(problem.path("type").stringValue()).endsWith(":session-limit");
            assertThat(problem.path("limit").asInt()).isEqualTo(5);
            assertThat(problem.path("current").asInt()).isEqualTo(5);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void withNoRoomOnAnyWorkerACreateAnswers429() {
        JsonNode problem = readJson(post("/sessions", "").expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
                .expectHeader().valueMatches(HttpHeaders.RETRY_AFTER, "\\d+"));

        assertThat(problem.path("type").stringValue()).endsWith(":session-capacity");
        assertThat(problem.path("limit").asInt()).isZero();
    }

    @Test
    void aStartNoWorkerTakesAnswers503AndIsNotLeftWaiting() {
        try (SessionWorkerStub worker = SessionWorkerStub.neverStarting(queue, sessions, workers)) {
            JsonNode problem = readJson(post("/sessions", "").expectStatus()
                    .isEqualTo(HttpStatus.SERVICE_UNAVAILABLE));

            assertThat(problem.path("type").stringValue()).endsWith(":session-not-started");
            assertThat(problem.path("reason").stringValue()).isEqualTo("no worker started it within 2 s");
            SessionId id = new SessionId(problem.path("session_id").stringValue());
            assertThat(sessions.find(id).block(Duration.ofSeconds(5)).state()).isEqualTo(SessionState.LOST);
            assertThat(sessions.claimOpen("late-worker").blockOptional(Duration.ofSeconds(5))).isEmpty();
        }
    }

    @Test
    void filesGoToTheSessionsWorkerAndComeBackAsDownloads() {
        try (SessionWorkerStub worker = hosting(10)) {
            String files = "/sessions/" + createSession() + "/files/";

            put(files + "data/in.csv", "a,b\n".getBytes(StandardCharsets.UTF_8)).expectStatus().isNoContent();

            get(files + "data/in.csv").expectStatus().isOk()
                    .expectHeader().contentTypeCompatibleWith(MediaType.parseMediaType("text/csv"))
                    .expectHeader().valueMatches(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"in.csv\".*")
                    .expectHeader().valueEquals("Content-Security-Policy", "sandbox")
                    .expectHeader().valueEquals("X-Content-Type-Options", "nosniff")
                    .expectBody(String.class).isEqualTo("a,b\n");
            get(files.substring(0, files.length() - 1)).expectStatus().isOk()
                    .expectBody().jsonPath("$[0].path").isEqualTo("data/in.csv").jsonPath("$[0].size").isEqualTo(4);
            delete(files + "data/in.csv").expectStatus().isNoContent();
            delete(files + "data/in.csv").expectStatus().isNotFound()
                    .expectBody().jsonPath("$.type").isEqualTo("urn:rrunner:problem:file-not-found")
                    .jsonPath("$.path").isEqualTo("data/in.csv");
        }
    }

    @Test
    void aPathThatCouldLeaveTheWorkspaceIsRefusedBeforeAnyWorkerSeesIt() {
        try (SessionWorkerStub worker = hosting(10)) {
            String files = "/sessions/" + createSession() + "/files/";

            for (String path : List.of("..%2Fx", "a%2F..%2F..%2Fx", "%2Fetc%2Fpasswd", "a%2F%2Fb", "a%5Cb",
                    "x%00")) {
                put(files + path, new byte[] {1}).expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
                        .expectBody().jsonPath("$.field").isEqualTo("path");
                get(files + path).expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT);
            }
            put(files + "na%C3%AFve.txt", new byte[] {1}).expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT);

            assertThat(worker.fileRequests()).isZero();
        }
    }

    @Test
    void aFileOverTheInputFileLimitIsRefusedWith413() {
        try (SessionWorkerStub worker = hosting(10)) {
            String files = "/sessions/" + createSession() + "/files/";

            put(files + "big.bin", new byte[1001]).expectStatus().isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
                    .expectBody().jsonPath("$.limit").isEqualTo(1000).jsonPath("$.field").isEqualTo("body");

            assertThat(worker.fileRequests()).isZero();
        }
    }

    @Test
    void theFilesOfAnEndedSessionAnswer410() {
        try (SessionWorkerStub worker = hosting(10)) {
            String id = createSession();
            delete("/sessions/" + id).expectStatus().isNoContent();

            get("/sessions/" + id + "/files").expectStatus().isEqualTo(HttpStatus.GONE)
                    .expectBody().jsonPath("$.session_status").isEqualTo("deleted");
        }
    }

    private SessionWorkerStub hosting(int slots) {
        return SessionWorkerStub.hosting(queue, sessions, workers, slots,
                script -> RunResult.ofScript(0, "ran: " + script, "", List.of()));
    }

    private String createSession() {
        return readJson(post("/sessions", "").expectStatus().isCreated()).path("id").stringValue();
    }

    private static JobSpec execSpec(String id) {
        return new JobSpec("cat(1)", 30, 10, 5_000_000, JobSpec.DEFAULT_MAX_RESULT_BYTES, "r-base", 512, 1, List.of(),
                id);
    }

    private WebTestClient.ResponseSpec post(String path, String body) {
        return client.post().uri(path).header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private WebTestClient.ResponseSpec put(String path, byte[] body) {
        return client.put().uri(URI.create("http://localhost:" + port + path)).header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN)
                .contentType(MediaType.APPLICATION_OCTET_STREAM).bodyValue(body).exchange();
    }

    private WebTestClient.ResponseSpec get(String path) {
        return client.get().uri(URI.create("http://localhost:" + port + path)).header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN).exchange();
    }

    private WebTestClient.ResponseSpec delete(String path) {
        return client.delete().uri(URI.create("http://localhost:" + port + path)).header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN).exchange();
    }

    private static JsonNode readJson(WebTestClient.ResponseSpec response) {
        return JSON.readTree(response.expectBody(byte[].class).returnResult().getResponseBody());
    }
}
