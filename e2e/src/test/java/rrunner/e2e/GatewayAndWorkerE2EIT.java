package rrunner.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import rrunner.common.testing.RedisTestContainer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The gateway and a worker as two separate applications sharing one Redis, used only through HTTP. */
@Testcontainers
class GatewayAndWorkerE2EIT {

    private static final String TOKEN = "e2e-" + System.nanoTime();
    private static final String WORKER_ID = "e2e-worker-" + System.nanoTime();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Container
    static final GenericContainer<?> REDIS = RedisTestContainer.create();

    private static AppProcess gateway;
    private static AppProcess worker;
    private static String baseUrl;
    private static String workerUrl;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void startApps() {
        int port = Env.freePort();
        baseUrl = "http://localhost:" + port;
        int workerPort = Env.freePort();
        workerUrl = "http://localhost:" + workerPort;
        Map<String, String> shared = Map.of(
                "REDIS_URL", RedisTestContainer.url(REDIS),
                "REDIS_KEY_PREFIX", "e2e",
                "RUNNER_ENVIRONMENTS", "r-base,r-full",
                "RUN_TIMEOUT_SECONDS", "5");
        worker = AppProcess.start("worker", "rrunner.workerJar", Env.merge(shared, Map.of(
                "WORKER_PORT", Integer.toString(workerPort), "WORKER_CONCURRENCY", "2", "WORKER_ID", WORKER_ID)));
        gateway = AppProcess.start("gateway", "rrunner.gatewayJar", Env.merge(shared, Map.of(
                "PORT", Integer.toString(port), "RUNNER_TOKEN", TOKEN,
                "PUBLIC_BASE_URL", "runner.example.org")));
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .ignoreExceptions()
                .failFast(() -> !gateway.isAlive() || !worker.isAlive())
                .until(() -> get("/system").statusCode() == 200);
    }

    @AfterAll
    static void stopApps() throws InterruptedException {
        if (gateway != null) {
            gateway.close();
        }
        if (worker != null) {
            worker.close();
            // why after close: a running worker keeps idle warm-pool sandboxes; a stopped one must leave none
            assertThat(Sandboxes.of(WORKER_ID::equals)).as("sandboxes left by the stopped worker").isEmpty();
        }
    }

    @AfterEach
    void leavesNoJobContainerBehind() {
        // why waiting: the worker removes a job's container just after it wrote the result
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(Sandboxes.withJobsOf(WORKER_ID::equals)).isEmpty());
    }

    @Test
    void runsAPlotScriptAndReturnsItsOutputAndPng() throws Exception {
        HttpResponse<String> response = run("png(\"p.png\"); plot(1:10); invisible(dev.off()); cat(\"ok\")", TOKEN);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("success").asBoolean()).isTrue();
        assertThat(body.get("exit_code").asInt()).isZero();
        assertThat(body.get("stdout").asString()).isEqualTo("ok");
        assertThat(body.get("runtime_stderr").asString()).isEmpty();
        JsonNode png = body.get("artifacts").get(0);
        assertThat(png.get("filename").asString()).isEqualTo("p.png");
        assertThat(png.get("mime_type").asString()).isEqualTo("image/png");
        assertThat(png.get("encoding").asString()).isEqualTo("base64");
        assertThat(Base64.getDecoder().decode(png.get("content").asString()))
                .startsWith(0x89, 'P', 'N', 'G');
    }

    @Test
    void aFailingScriptIsStillA200WithItsExitCode() throws Exception {
        HttpResponse<String> response = run("cat('before'); quit(status = 3)", TOKEN);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("success").asBoolean()).isFalse();
        assertThat(body.get("exit_code").asInt()).isEqualTo(3);
        assertThat(body.get("stdout").asString()).isEqualTo("before");
    }

    @Test
    void aScriptPastTheTimeoutGets408() throws Exception {
        HttpResponse<String> response = run("Sys.sleep(30)", TOKEN);

        assertThat(response.statusCode()).isEqualTo(408);
        assertThat(JSON.readTree(response.body()).get("detail").asString()).contains("5");
    }

    @Test
    void aSparseFileOfAPetabyteAnswersWithinTheTimeoutAndFreesItsSlot() throws Exception {
        long start = System.nanoTime();

        HttpResponse<String> response = run(
                "con <- file('big.bin', 'wb'); seek(con, 1e15); writeBin(as.raw(1), con); close(con)", TOKEN);

        // the run timeout is 5 s; the bound is that plus 10
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get("exit_code").asInt()).as("128 + SIGXFSZ").isEqualTo(153);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            JsonNode queue = JSON.readTree(get("/queue", TOKEN).body());
            assertThat(queue.get("running").asLong()).isZero();
            assertThat(queue.get("workers").valueStream()).isNotEmpty()
                    .allSatisfy(worker -> assertThat(worker.get("busy").asInt()).isZero());
        });
    }

    /**
     * The whole path of issue 12 through both apps: an input file reaches the script, the named environment and
     * limits are applied, and the result says what produced it, the image id matching what /environments shows.
     */
    @Test
    void anInputFileInANamedEnvironmentWithLimitsComesBackWithItsProvenance() throws Exception {
        String csv = "x,y\n1,2\n3,4\n";
        Map<String, Object> request = Map.of(
                "script", "d <- read.csv('data/in.csv'); library(ggplot2); cat(sum(d$y), nrow(d))",
                "environment", "r-full",
                "limits", Map.of("timeout_seconds", 20, "memory_mb", 1024, "cpus", 1.5),
                "files", List.of(Map.of("path", "data/in.csv", "content", csv)));
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() ->
                "ready".equals(JSON.readTree(get("/environments/r-full", TOKEN).body()).path("status").asString()));

        HttpResponse<String> response = post("/run", JSON.writeValueAsString(request), TOKEN);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("stdout").asString()).isEqualTo("6 2");
        assertThat(body.get("artifacts").valueStream()).as("the unchanged input is no artifact").isEmpty();
        JsonNode provenance = body.get("provenance");
        assertThat(provenance.get("environment").asString()).isEqualTo("r-full");
        assertThat(provenance.get("image_id").asString())
                .isEqualTo(JSON.readTree(get("/environments/r-full", TOKEN).body()).get("image_id").asString());
        assertThat(provenance.get("r_version").asString()).startsWith("R version");
        assertThat(provenance.at("/limits/memory_mb").asLong()).isEqualTo(1024);
        assertThat(provenance.at("/limits/cpus").asDouble()).isEqualTo(1.5);
        assertThat(provenance.at("/limits/timeout_seconds").asInt()).isEqualTo(20);
        JsonNode input = provenance.at("/input_files/0");
        assertThat(input.get("path").asString()).isEqualTo("data/in.csv");
        assertThat(input.get("size").asLong()).isEqualTo(csv.length());
        assertThat(input.get("sha256").asString()).isEqualTo(HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(csv.getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void aLimitOverTheEnvironmentsMaximumIsRefusedWithItsMembers() throws Exception {
        HttpResponse<String> response = post("/run", JSON.writeValueAsString(Map.of(
                "script", "cat(1)", "limits", Map.of("memory_mb", 1_000_000))), TOKEN);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("type").asString()).isEqualTo("urn:rrunner:problem:limit-exceeded");
        assertThat(problem.get("field").asString()).isEqualTo("limits.memory_mb");
        assertThat(problem.get("requested").asLong()).isEqualTo(1_000_000);
        assertThat(problem.get("limit").asLong()).isEqualTo(2048);
    }

    @Test
    void aWrongTokenGets401() throws Exception {
        HttpResponse<String> response = run("cat(1)", "wrong");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(response.body()).has("detail")).isTrue();
    }

    @Test
    void systemListsTheImagesPackagesAndHealthIsOk() throws Exception {
        JsonNode system = JSON.readTree(get("/system").body());

        assertThat(system.get("packages").valueStream().map(JsonNode::asString))
                .contains("base", "stats", "grDevices");
        assertThat(get("/health").body()).isEqualToIgnoringWhitespace("{\"ok\":true}");
        assertThat(JSON.readTree(get("/openapi.json").body()).at("/servers/0/url").asString())
                .isEqualTo("https://runner.example.org");
    }

    /**
     * The names come from what the apps' registries hold, scraped as Prometheus does, not from a list kept by
     * hand: every metric a dashboard query names must be exported, and the README's table must list exactly the
     * {@code rrunner_*} families. Meters tagged by outcome appear with their first job, hence the run first.
     */
    @Test
    void exportsEveryMetricTheDashboardQueriesAndTheReadmeListsExactlyOurs() throws Exception {
        assertThat(run("cat(1)", TOKEN).statusCode()).isEqualTo(200);

        // why waiting: both apps record a run's meters just after its answer is sent
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            PrometheusScrape exported = scrape(baseUrl).plus(scrape(workerUrl));
            assertThat(MonitoringDocs.dashboardExpressions()).allSatisfy(expression ->
                    assertThat(MonitoringDocs.metricsIn(expression)).as("metrics in %s", expression).isNotEmpty()
                            .allSatisfy(metric -> assertThat(exported.samples()).contains(metric)));
            assertThat(MonitoringDocs.readmeTable()).as("README metrics table")
                    .containsExactlyInAnyOrderElementsOf(exported.familiesStartingWith("rrunner_"));
        });
    }

    private static PrometheusScrape scrape(String appUrl) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(appUrl + "/actuator/prometheus"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s/actuator/prometheus", appUrl).isEqualTo(200);
        return PrometheusScrape.parse(response.body());
    }

    private static HttpResponse<String> run(String script, String token) throws Exception {
        return post("/run", JSON.writeValueAsString(Map.of("script", script)), token);
    }

    private static HttpResponse<String> post(String path, String body, String token) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String path, String token) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + path)).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
