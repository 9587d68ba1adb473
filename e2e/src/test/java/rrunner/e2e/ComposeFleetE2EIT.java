package rrunner.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HostConfig;
import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import rrunner.common.event.JobEventType;
import rrunner.common.job.JobId;
import rrunner.common.job.JobRecord;
import rrunner.common.job.JobState;
import rrunner.worker.sandbox.SandboxLabels;
import tools.jackson.databind.JsonNode;

/**
 * The deployment as operators run it: the repository's compose.yaml and images, Redis, two gateways behind Caddy
 * (HTTPS with Caddy's local CA, which the client trusts after reading its root out of Caddy's data volume) and
 * three workers in containers that start sandboxes on the host's engine through the mounted socket. The contract
 * through Caddy, jobs across gateways, the sandbox policy of a containerised worker, then routine operations under
 * steady load: every accepted job ends once with its answer, callers see at worst a 503 with Retry-After.
 * docs/deployment.md lists the commands this runs, and the figures it prints.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ComposeFleetE2EIT {

    private static final String TOKEN = UUID.randomUUID().toString();
    private static final String PREFIX = "fleet" + UUID.randomUUID().toString().substring(0, 8);
    private static final int GATEWAYS = 2;
    private static final int WORKERS = 3;
    private static final int CALLERS = 4;
    /**
     * Workers replaced one at a time under load: CI replaces one (each costs a JVM start, about a minute on two busy
     * cores); {@code -Drrunner.fleet.workerReplacements=3} replaces all three, as docs/deployment.md describes.
     */
    private static final int REPLACEMENTS = Integer.getInteger("rrunner.fleet.workerReplacements", 1);
    /** JVMs starting in containers on two cores shared with the rest of the build: generous, never a wait itself. */
    private static final Duration STARTUP = Duration.ofMinutes(4);

    private static ComposeFleet fleet;
    private static QueueProbe queue;
    private static Http front;
    private static String deployment;

    @BeforeAll
    static void bringUpTheFleetFromComposeYaml() {
        ComposeFleet.buildImages();
        String httpsPort = Integer.toString(Env.freePort());
        fleet = ComposeFleet.of("rrunner-fleet-test-" + PREFIX, Map.of(
                "RUNNER_TOKEN", TOKEN,
                "REDIS_KEY_PREFIX", PREFIX,
                // one host port per gateway replica
                "PORT", Env.freePortRange(GATEWAYS),
                "HTTP_PORT", Integer.toString(Env.freePort()),
                "HTTPS_PORT", httpsPort,
                // a name Caddy certifies with its own local CA, and that resolves here without DNS
                "SITE_DOMAIN", "localhost",
                "PUBLIC_BASE_URL", "https://localhost:" + httpsPort,
                // three workers on two cores: one job each (compose.yaml's advice: cores / replicas or less)
                "WORKER_CONCURRENCY", "1",
                // the images are local: nothing to pull from
                "RUNNER_PULL_POLICY", "if-missing"));
        fleet.up(GATEWAYS, WORKERS);
        front = new Http("https://localhost:" + httpsPort, TOKEN, trusting(fleet.caddyRootCertificate()));
        queue = new QueueProbe(fleet.redisUrl(), PREFIX);
        await().atMost(STARTUP).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                .until(() -> front.get("/health").statusCode() == 200 && queue.workers().size() == WORKERS);
        deployment = queue.deploymentId();
    }

    @AfterAll
    static void tearDownAndRemoveWhatTheWorkersLeft() {
        if (queue != null) {
            queue.close();
        }
        if (fleet != null) {
            fleet.close();
        }
        // why by the deployment label: the fleet's workers made them; anything else on this engine is not ours
        List<Container> left = deployment == null ? List.of() : sandboxes();
        left.forEach(c -> ComposeFleet.docker().removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true)
                .exec());
        assertThat(left).as("sandbox containers left after compose down").isEmpty();
    }

    @Test
    @Order(1)
    void servesTheReferenceContractThroughCaddyOverTls() throws Exception {
        HttpResponse<String> health = front.get("/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualToIgnoringWhitespace("{\"ok\":true}");
        assertThat(health.headers().firstValue("Strict-Transport-Security")).as("set by Caddy").isPresent();

        JsonNode hello = Http.JSON.readTree(front.run("cat('hello')").body());
        assertThat(hello.get("stdout").asString()).isEqualTo("hello");
        assertThat(hello.get("success").asBoolean()).isTrue();

        JsonNode plot = Http.JSON.readTree(front.run(
                "png('p.png'); plot(1:10); invisible(dev.off()); cat('ok')").body());
        JsonNode png = plot.get("artifacts").get(0);
        assertThat(png.get("filename").asString()).isEqualTo("p.png");
        assertThat(Base64.getDecoder().decode(png.get("content").asString())).startsWith(0x89, 'P', 'N', 'G');

        HttpResponse<String> timedOut = front.post("/run", Http.JSON.writeValueAsString(Map.of(
                "script", "Sys.sleep(30)", "limits", Map.of("timeout_seconds", 2))));
        assertThat(timedOut.statusCode()).as(timedOut.body()).isEqualTo(408);

        HttpResponse<String> refused = front.run("cat(1)", "not-the-token");
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(Http.JSON.readTree(refused.body()).has("detail")).isTrue();
    }

    @Test
    @Order(2)
    void aJobSubmittedThroughOneGatewayIsStreamedThroughTheOther() throws Exception {
        List<Http> gateways = directToEachGateway();

        String id = submit(gateways.get(0), "for (i in 1:3) { cat('line', i, '\\n'); Sys.sleep(0.3) }");
        HttpResponse<String> events = gateways.get(1).getWithToken("/jobs/" + id + "/events", Duration.ofSeconds(90));

        assertThat(events.statusCode()).isEqualTo(200);
        List<JsonNode> lines = events.body().lines().map(Http.JSON::readTree).toList();
        assertThat(lines).extracting(e -> e.path("type").asString()).startsWith("queued", "started").endsWith("result");
        // why joined: the worker batches output for up to 20 ms, so lines printed close together share a chunk
        assertThat(lines.stream().filter(e -> e.path("type").asString().equals("stdout"))
                .map(e -> e.get("data").asString()).collect(Collectors.joining()))
                .isEqualTo("line 1 \nline 2 \nline 3 \n");
    }

    /**
     * A containerised worker starts its sandboxes as siblings on the host's engine; they must get the same policy as
     * a worker on the host gives them. Inspected while the job runs, then the job is cancelled through the other
     * gateway.
     */
    @Test
    @Order(3)
    void sandboxesOfContainerisedWorkersAreConfinedAndCancellableThroughEitherGateway() throws Exception {
        List<Http> gateways = directToEachGateway();
        String id = submit(gateways.get(0), "Sys.sleep(60)");
        Container sandbox = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> sandboxOf(id), c -> c != null);

        InspectContainerResponse inspected = ComposeFleet.docker().inspectContainerCmd(sandbox.getId()).exec();
        HostConfig host = inspected.getHostConfig();
        assertThat(host.getNetworkMode()).isEqualTo("none");
        assertThat(inspected.getConfig().getUser()).isEqualTo("10001:10001");
        assertThat(host.getReadonlyRootfs()).isTrue();
        assertThat(host.getPrivileged()).isFalse();
        assertThat(host.getCapDrop()).contains(Capability.ALL);
        assertThat(host.getSecurityOpts()).contains("no-new-privileges");
        assertThat(host.getMemory()).isEqualTo(512L * 1024 * 1024);
        assertThat(host.getMemorySwap()).as("no swap beyond the memory limit").isEqualTo(host.getMemory());
        assertThat(host.getPidsLimit()).isEqualTo(128L);
        assertThat(host.getBinds()).as("no host path, least of all the Docker socket").isNullOrEmpty();
        assertThat(inspected.getMounts()).noneSatisfy(m -> assertThat(m.getSource()).contains("docker.sock"));
        assertThat(inspected.getConfig().getEnv()).noneSatisfy(variable -> assertThat(variable)
                .containsAnyOf(TOKEN, "RUNNER_TOKEN", "REDIS_URL", "DOCKER_HOST"));

        HttpResponse<String> cancel = gateways.get(1).delete("/jobs/" + id);
        assertThat(cancel.statusCode()).as(cancel.body()).isIn(200, 202);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                assertThat(Http.JSON.readTree(gateways.get(0).getWithToken("/jobs/" + id).body())
                        .get("status").asString()).isEqualTo("cancelled"));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> sandboxOf(id) == null);
    }

    @Test
    @Order(4)
    void routineOperationsUnderSteadyLoadLoseNoJobAndLeaveNoSandbox() throws Exception {
        List<SteadyLoad.Call> calls;
        SteadyLoad load = new SteadyLoad(front, CALLERS);
        Map<String, Duration> costs = new LinkedHashMap<>();
        load.start();
        try {
            makesProgress(load);
            for (String gateway : fleet.running("gateway")) {
                restartGateway(gateway, load, costs);
            }
            for (String worker : fleet.running("worker").subList(0, REPLACEMENTS)) {
                replaceWorker(worker, costs);
                makesProgress(load);
            }
            scaleWorkers(1, costs);
            makesProgress(load);
            scaleWorkers(WORKERS, costs);
            makesProgress(load);
        } finally {
            calls = load.stop();
        }

        List<FleetFigures.Accepted> accepted = acceptedJobs(load);
        FleetFigures figures = FleetFigures.of(calls, accepted, settledSandboxes(), costs);
        System.out.println(figures.line());
        assertThat(accepted).as("jobs started more than once").filteredOn(job -> job.started() > 1).isEmpty();
        assertThat(calls).as("answers other than a correct 200 or a 503 with Retry-After")
                .allSatisfy(c -> assertThat(c.correct() || c.unavailable()).as("%s", c).isTrue());
        assertThat(figures.lost()).as("accepted jobs whose caller got no answer").isZero();
        assertThat(figures.duplicated()).as("jobs started twice, or markers run twice").isZero();
        assertThat(figures.unfinished()).as("accepted jobs not succeeded").isZero();
        assertThat(figures.containersLeft()).as("job sandboxes left").isZero();
        assertThat(figures.completed()).isPositive();
        // why this bound: RUN_QUEUE_TIMEOUT_SECONDS (60) is the longest a gateway holds a job no worker took
        assertThat(figures.longestWait()).as("longest wait for an answer").isLessThan(Duration.ofSeconds(60));
    }

    /** Restarts one gateway; its cost is the window in which callers saw 503s. */
    private static void restartGateway(String gateway, SteadyLoad load, Map<String, Duration> costs) {
        long index = costs.keySet().stream().filter(k -> k.startsWith("gateway")).count() / 2 + 1;
        long start = System.nanoTime();
        fleet.docker("restart", gateway);
        Http direct = new Http("http://127.0.0.1:" + fleet.gatewayPort(gateway), TOKEN);
        await().atMost(STARTUP).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> direct.get("/health").statusCode() == 200);
        costs.put("gateway" + index + " back after", Duration.ofNanos(System.nanoTime() - start));
        makesProgress(load);
        List<SteadyLoad.Call> unavailable = load.unavailableSince(start);
        costs.put("gateway" + index + " 503 window", unavailable.isEmpty() ? Duration.ZERO : Duration.ofNanos(
                unavailable.get(unavailable.size() - 1).endNanos() - unavailable.get(0).startNanos()));
    }

    /** Stops a worker (it drains: running jobs finish), removes it and lets compose start a new one. */
    private static void replaceWorker(String worker, Map<String, Duration> costs) {
        Duration drain = fleet.docker("stop", "--time", "60", worker);
        costs.merge("worker drain max", drain, (a, b) -> a.compareTo(b) >= 0 ? a : b);
        fleet.docker("rm", worker);
        long start = System.nanoTime();
        fleet.up(GATEWAYS, WORKERS);
        awaitWorkers(WORKERS);
        costs.merge("worker start max", Duration.ofNanos(System.nanoTime() - start),
                (a, b) -> a.compareTo(b) >= 0 ? a : b);
    }

    private static void scaleWorkers(int workers, Map<String, Duration> costs) {
        long start = System.nanoTime();
        fleet.up(GATEWAYS, workers);
        awaitWorkers(workers);
        costs.put("scale to " + workers, Duration.ofNanos(System.nanoTime() - start));
    }

    private static void awaitWorkers(int count) {
        await().atMost(STARTUP).pollInterval(Duration.ofMillis(500))
                .until(() -> queue.workers().size() == count && fleet.running("worker").size() == count);
    }

    /** The fleet keeps answering: a few more correct answers than now. */
    private static void makesProgress(SteadyLoad load) {
        long now = load.completed();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                .until(() -> load.completed() >= now + CALLERS);
    }

    /** Every job of the load that Redis holds: what a gateway accepted. */
    private static List<FleetFigures.Accepted> acceptedJobs(SteadyLoad load) {
        List<FleetFigures.Accepted> accepted = new ArrayList<>();
        for (JobId id : queue.jobIds()) {
            JobRecord job = queue.find(id);
            if (job != null && load.made(job.spec().script())) {
                accepted.add(new FleetFigures.Accepted(id.value(), job.spec().script(), job.state() == JobState.SUCCEEDED,
                        queue.count(id, JobEventType.STARTED)));
            }
        }
        return accepted;
    }

    /** Job sandboxes still there once the workers had time to remove their last ones. */
    private static int settledSandboxes() {
        Supplier<Long> withJobs = () -> sandboxes().stream()
                .filter(c -> SandboxLabels.jobOf(c.getLabels(), List.of(c.getNames())).isPresent()).count();
        try {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> withJobs.get() == 0);
        } catch (ConditionTimeoutException e) {
            // why not rethrown: the count is a figure to print with the others; the test fails on it after that
        }
        return withJobs.get().intValue();
    }

    private static Container sandboxOf(String jobId) {
        return sandboxes().stream()
                .filter(c -> SandboxLabels.jobOf(c.getLabels(), List.of(c.getNames()))
                        .map(JobId::value).filter(jobId::equals).isPresent())
                .findFirst().orElse(null);
    }

    private static List<Container> sandboxes() {
        return ComposeFleet.docker().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(SandboxLabels.MANAGED, "true", SandboxLabels.DEPLOYMENT, deployment))
                .exec();
    }

    private static List<Http> directToEachGateway() {
        List<String> gateways = fleet.running("gateway");
        assertThat(gateways).hasSize(GATEWAYS);
        return gateways.stream().map(g -> new Http("http://127.0.0.1:" + fleet.gatewayPort(g), TOKEN)).toList();
    }

    private static String submit(Http gateway, String script) throws Exception {
        HttpResponse<String> accepted = gateway.post("/jobs", Http.JSON.writeValueAsString(Map.of("script", script)));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        return Http.JSON.readTree(accepted.body()).get("id").asString();
    }

    /** An HTTPS client trusting exactly the given root certificate (PEM). */
    private static HttpClient trusting(String rootPem) {
        try {
            KeyStore roots = KeyStore.getInstance(KeyStore.getDefaultType());
            roots.load(null, null);
            roots.setCertificateEntry("caddy-local-root", CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(rootPem.getBytes(StandardCharsets.US_ASCII))));
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(roots);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, trust.getTrustManagers(), null);
            return HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();
        } catch (Exception e) {
            throw new IllegalStateException("cannot trust Caddy's root certificate:\n" + rootPem, e);
        }
    }
}
