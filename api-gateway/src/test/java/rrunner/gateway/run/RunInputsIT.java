package rrunner.gateway.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import rrunner.common.environment.EnvironmentReport;
import rrunner.common.environment.EnvironmentStatus;
import rrunner.common.environment.Environments;
import rrunner.common.job.InputFile;
import rrunner.common.job.JobId;
import rrunner.common.job.JobSpec;
import rrunner.common.queue.WorkerRegistry;
import rrunner.gateway.environments.EnvironmentAvailability;
import rrunner.gateway.environments.EnvironmentUnavailableException;
import rrunner.gateway.problem.ProblemType;
import rrunner.gateway.testing.GatewayOnSharedRedis;
import tools.jackson.databind.JsonNode;

/**
 * Input files, environments and limits on {@code POST /run} and {@code POST /jobs}: every refusal names its type
 * and members and queues nothing; an accepted job carries what the gateway resolved. The test plays the workers by
 * writing their heartbeats to Redis.
 */
@TestPropertySource(properties = {"RUNNER_TOKEN=" + RunInputsIT.TOKEN, "RUNNER_ENVIRONMENTS=r-base,r-full",
        "MAX_INPUT_FILES=3", "MAX_INPUT_FILE_BYTES=100", "MAX_INPUT_BYTES=150", "OPS_POLL_INTERVAL=50ms"})
class RunInputsIT extends GatewayOnSharedRedis {

    static final String TOKEN = "inputs-token";
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final EnvironmentReport READY = new EnvironmentReport(EnvironmentStatus.READY, "sha256:1", "R 4");

    @Autowired
    private WorkerRegistry workers;
    @Autowired
    private EnvironmentAvailability availability;
    @Autowired
    private Environments environments;

    /**
     * Redis was just emptied, but the gateway's view of the workers may still be a previous test's for up to
     * OPS_POLL_INTERVAL: wait until it has no worker passing an environment by.
     */
    @BeforeEach
    void noWorkerSeen() {
        awaitServed("r-base", true);
        awaitServed("r-full", true);
    }

    /** Refused requests must leave nothing behind in the queue. */
    @AfterEach
    void queuedNothingWhenRefused() {
        if (!acceptedOne) {
            assertThat(queue.stats().block(WAIT).waiting()).isZero();
            assertThat(redis.sync().llen(queue.keys().waiting())).isZero();
        }
    }

    private boolean acceptedOne;

    static Stream<Arguments> badRequests() {
        return Stream.of(
                bad(files(file("../a", "x")), 422, ProblemType.INVALID_INPUT_FILE, "path", "../a"),
                bad(files(file("/etc/x", "x")), 422, ProblemType.INVALID_INPUT_FILE, "path", "/etc/x"),
                bad(files(file("a/../../b", "x")), 422, ProblemType.INVALID_INPUT_FILE, "path", "a/../../b"),
                bad(files(file("a\\\\b", "x")), 422, ProblemType.INVALID_INPUT_FILE, "path", "a\\b"),
                bad(files(file("a\\u0000b", "x")), 422, ProblemType.INVALID_INPUT_FILE, "path", "a\u0000b"),
                bad(files(file("%2e%2e/x", "x")), 422, ProblemType.INVALID_INPUT_FILE, "path", "%2e%2e/x"),
                bad(files(file(".", "x")), 422, ProblemType.INVALID_INPUT_FILE, "path", "."),
                bad(files(file("a//b", "x")), 422, ProblemType.INVALID_INPUT_FILE, "path", "a//b"),
                bad(files(file("a", "x"), file("a", "y")), 422, ProblemType.INVALID_INPUT_FILE, "index", 1),
                bad(files(file("a", "x"), file("a/b", "y")), 422, ProblemType.INVALID_INPUT_FILE, "index", 1),
                bad(files("{\"path\": \"a\", \"content\": \"AP8\", \"encoding\": \"base64\"}"), 422,
                        ProblemType.INVALID_INPUT_FILE, "path", "a"),
                bad(files(file("a", ""), file("b", ""), file("c", ""), file("d", "")), 422,
                        ProblemType.LIMIT_EXCEEDED, "limit", 3),
                bad(files(file("a", "x".repeat(101))), 413, ProblemType.INPUT_TOO_LARGE, "field", "files[0].content"),
                bad(files(file("a", "x".repeat(100)), file("b", "x".repeat(51))), 413, ProblemType.INPUT_TOO_LARGE,
                        "field", "files"),
                bad(limits("{\"memory_mb\": 0}"), 422, ProblemType.INVALID_LIMIT, "field", "limits.memory_mb"),
                bad(limits("{\"timeout_seconds\": -1}"), 422, ProblemType.INVALID_LIMIT, "field",
                        "limits.timeout_seconds"),
                bad(limits("{\"cpus\": \"2\"}"), 422, ProblemType.INVALID_LIMIT, "field", "limits.cpus"),
                bad(limits("{\"timeout_seconds\": 1.5}"), 422, ProblemType.INVALID_LIMIT, "field",
                        "limits.timeout_seconds"),
                bad(limits("{\"memory_mb\": 2049}"), 422, ProblemType.LIMIT_EXCEEDED, "limit", 2048),
                bad(limits("{\"timeout_seconds\": 301}"), 422, ProblemType.LIMIT_EXCEEDED, "requested", 301),
                bad("{\"script\": \"1\", \"environment\": \"r-fancy\"}", 422, ProblemType.UNKNOWN_ENVIRONMENT,
                        "environment", "r-fancy"),
                bad("{\"script\": \"1\", \"environment\": 5}", 422, ProblemType.INVALID_REQUEST, "field",
                        "environment"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void refusesABadRequestToRunWithItsTypeAndMembers(String body, int status, ProblemType type, String member,
            Object value) {
        assertRefused("/run", body, status, type, member, value);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void refusesABadJobWithItsTypeAndMembers(String body, int status, ProblemType type, String member,
            Object value) {
        assertRefused("/jobs", body, status, type, member, value);
    }

    @ParameterizedTest(name = "POST {0}")
    @ValueSource(strings = {"/run", "/jobs"})
    void listsTheAvailableEnvironmentsForAnUnknownOne(String path) {
        JsonNode problem = readJson(post(path, "{\"script\": \"1\", \"environment\": \"r-fancy\"}")
                .expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT));

        assertThat(problem.path("available").values()).extracting(JsonNode::stringValue)
                .containsExactly("r-base", "r-full");
    }

    @Test
    void queuesTheResolvedEnvironmentLimitsAndFiles() {
        JsonNode job = submit("{\"script\": \"1\", \"environment\": \"r-full\", \"limits\": {\"memory_mb\": 1024}, "
                + "\"files\": [" + file("data/in.csv", "x\\n1\\n") + ", "
                + "{\"path\": \"m.rds\", \"content\": \"AP8=\", \"encoding\": \"base64\"}]}");

        JobSpec spec = queue.find(new JobId(job.path("id").stringValue())).block(WAIT).spec();
        assertThat(spec.environment()).isEqualTo("r-full");
        assertThat(spec.timeoutSeconds()).isEqualTo(30);
        assertThat(spec.memoryMb()).isEqualTo(1024);
        assertThat(spec.cpus()).isEqualTo(1.0);
        assertThat(spec.files()).containsExactly(
                new InputFile("data/in.csv", "x\n1\n".getBytes(StandardCharsets.UTF_8)),
                new InputFile("m.rds", new byte[] {0, (byte) 0xff}));
    }

    @Test
    void showsTheAppliedEnvironmentLimitsAndInputDigestsBeforeTheJobRuns() throws Exception {
        JsonNode submitted = submit("{\"script\": \"1\", \"limits\": {\"cpus\": 1.5, \"timeout_seconds\": 60}, "
                + "\"files\": [" + file("in.csv", "a,b\\n") + "]}");

        JsonNode job = readJson(client.get().uri("/jobs/" + submitted.path("id").stringValue())
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN).exchange().expectStatus().isOk());

        for (JsonNode view : List.of(submitted, job)) {
            assertThat(view.path("status").stringValue()).isEqualTo("queued");
            assertThat(view.path("environment").stringValue()).isEqualTo("r-base");
            assertThat(view.path("limits").path("timeout_seconds").intValue()).isEqualTo(60);
            assertThat(view.path("limits").path("memory_mb").longValue()).isEqualTo(512);
            assertThat(view.path("limits").path("cpus").doubleValue()).isEqualTo(1.5);
            JsonNode digest = view.path("input_files").get(0);
            assertThat(digest.path("path").stringValue()).isEqualTo("in.csv");
            assertThat(digest.path("size").intValue()).isEqualTo(4);
            assertThat(digest.path("sha256").stringValue()).isEqualTo(HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest("a,b\n".getBytes(StandardCharsets.UTF_8))));
        }
    }

    @Test
    void givesARequestThatNamesNothingTheDefaultEnvironmentAndItsDefaults() {
        JsonNode job = submit("{\"script\": \"1\"}");

        JobSpec spec = queue.find(new JobId(job.path("id").stringValue())).block(WAIT).spec();
        assertThat(spec.environment()).isEqualTo("r-base");
        assertThat(List.of(spec.timeoutSeconds(), spec.memoryMb(), spec.cpus())).containsExactly(30, 512L, 1.0);
        assertThat(spec.files()).isEmpty();
    }

    @Test
    void acceptsEveryLimitAtItsMaximum() {
        JsonNode job = submit("{\"script\": \"1\", \"limits\": {\"timeout_seconds\": 300, \"memory_mb\": 2048, "
                + "\"cpus\": 2}}");

        JobSpec spec = queue.find(new JobId(job.path("id").stringValue())).block(WAIT).spec();
        assertThat(List.of(spec.timeoutSeconds(), spec.memoryMb(), spec.cpus())).containsExactly(300, 2048L, 2.0);
    }

    @ParameterizedTest(name = "POST {0}")
    @ValueSource(strings = {"/run", "/jobs"})
    void answers503WithRetryAfterForAnEnvironmentNoLiveWorkerServes(String path) {
        beat("w1", Map.of("r-base", READY, "r-full", new EnvironmentReport(EnvironmentStatus.UNAVAILABLE, null,
                null)));
        awaitServed("r-full", false);

        JsonNode problem = readJson(post(path, "{\"script\": \"1\", \"environment\": \"r-full\"}")
                .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectHeader().valueMatches(HttpHeaders.RETRY_AFTER, "\\d+"));

        assertThat(problem.path("type").stringValue()).isEqualTo(ProblemType.ENVIRONMENT_UNAVAILABLE.uri().toString());
        assertThat(problem.path("environment").stringValue()).isEqualTo("r-full");
    }

    @Test
    void acceptsAnEnvironmentOnceAWorkerReportsItPulling() {
        beat("w1", Map.of("r-base", READY));
        awaitServed("r-full", false);
        post("/jobs", "{\"script\": \"1\", \"environment\": \"r-full\"}")
                .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);

        beat("w2", Map.of("r-full", new EnvironmentReport(EnvironmentStatus.PULLING, null, null)));
        awaitServed("r-full", true);

        submit("{\"script\": \"1\", \"environment\": \"r-full\"}");
    }

    @Test
    void queuesEveryEnvironmentWhileNoWorkerIsLive() {
        awaitServed("r-full", true);

        submit("{\"script\": \"1\", \"environment\": \"r-full\"}");
    }

    @Test
    void takesAWorkerThatReportsNoEnvironmentsForOneOfTheDefaultOnly() {
        beat("old", Map.of());
        awaitServed("r-full", false);

        post("/jobs", "{\"script\": \"1\", \"environment\": \"r-full\"}")
                .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        submit("{\"script\": \"1\"}");
    }

    private void assertRefused(String path, String body, int status, ProblemType type, String member, Object value) {
        JsonNode problem = readJson(post(path, body).expectStatus().isEqualTo(status)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON));

        assertThat(problem.path("type").stringValue()).isEqualTo(type.uri().toString());
        assertThat(problem.path("title").stringValue()).isEqualTo(type.title());
        JsonNode actual = problem.path(member);
        assertThat(actual.isNumber() ? (Object) actual.intValue() : actual.stringValue()).isEqualTo(value);
    }

    private void beat(String worker, Map<String, EnvironmentReport> reports) {
        workers.beat(new WorkerRegistry.Heartbeat(worker, 1, 0, Instant.now(), "r-runner-r-base:latest", "test",
                reports, 0, 0), Duration.ofSeconds(5)).block(WAIT);
    }

    /** Until the gateway's view of the workers, refreshed every OPS_POLL_INTERVAL, has caught up with Redis. */
    private void awaitServed(String environment, boolean served) {
        await().atMost(WAIT).until(() -> availability.check(environments.find(environment).orElseThrow())
                .thenReturn(true)
                .onErrorReturn(EnvironmentUnavailableException.class, false)
                .block(WAIT) == served);
    }

    private JsonNode submit(String body) {
        acceptedOne = true;
        return readJson(post("/jobs", body).expectStatus().isAccepted());
    }

    private WebTestClient.ResponseSpec post(String path, String body) {
        return client.post().uri(path).header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private static JsonNode readJson(WebTestClient.ResponseSpec response) {
        return JSON.readTree(response.expectBody(String.class).returnResult().getResponseBody());
    }

    private static Arguments bad(String body, int status, ProblemType type, String member, Object value) {
        return Arguments.of(body, status, type, member, value);
    }

    private static String files(String... files) {
        return "{\"script\": \"1\", \"files\": [" + String.join(", ", files) + "]}";
    }

    private static String limits(String limits) {
        return "{\"script\": \"1\", \"limits\": " + limits + "}";
    }

    private static String file(String path, String content) {
        return "{\"path\": \"" + path + "\", \"content\": \"" + content + "\"}";
    }
}
