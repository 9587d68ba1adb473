package rrunner.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.model.Container;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Testcontainers;
import rrunner.common.event.JobEventType;
import rrunner.common.job.JobId;
import rrunner.common.job.JobRecord;
import rrunner.common.job.JobState;
import rrunner.common.testing.RedisTestContainer;
import rrunner.worker.sandbox.SandboxLabels;
import tools.jackson.databind.JsonNode;

/**
 * Sessions end to end: a real gateway and two real workers, R in real containers. Objects and packages persist
 * between execs, a timeout interrupts the exec and not the session, a session that runs out of memory says so, an
 * idle one expires and a killed worker's ones are lost, each leaving no container behind. The lease is short (4 s),
 * so an exec outlasting it shows the renewals hold.
 */
@Testcontainers
class SessionsE2EIT {

    private static final String TOKEN = "sessions-" + System.nanoTime();
    private static final String PREFIX = "sessions";
    private static final Duration SETTLE = Duration.ofSeconds(60);
    private static final String STEADY = "steady-" + System.nanoTime();

    @org.testcontainers.junit.jupiter.Container
    static final GenericContainer<?> REDIS = RedisTestContainer.create();

    private static AppProcess gateway;
    private static AppProcess steady;
    private static Http http;
    private static QueueProbe probe;

    @BeforeAll
    static void startGatewayAndWorker() {
        int port = Env.freePort();
        http = new Http("http://localhost:" + port, TOKEN);
        steady = startWorker(STEADY);
        probe = new QueueProbe(RedisTestContainer.url(REDIS), PREFIX);
        gateway = AppProcess.start("gateway", "rrunner.gatewayJar", Env.merge(shared(), Map.of(
                "PORT", Integer.toString(port), "RUNNER_TOKEN", TOKEN, "SESSION_MAX_PER_TOKEN", "10")));
        await().atMost(Duration.ofSeconds(90)).ignoreExceptions()
                .failFast(() -> !gateway.isAlive() || !steady.isAlive())
                .until(() -> http.getWithToken("/queue").body().contains(STEADY));
    }

    @AfterAll
    static void stopAll() throws InterruptedException {
        if (probe != null) {
            probe.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        if (steady != null) {
            steady.close();
        }
    }

    @Test
    void objectsAndLoadedPackagesPersistFromOneExecToTheNext() throws Exception {
        String id = create("{}");

        exec(id, "x <- 41; library(stats4)");
        JsonNode result = exec(id, "cat(x + 1, exists('mle'))");

        assertThat(result.path("stdout").stringValue()).isEqualTo("42 TRUE");
        JsonNode session = json(http.getWithToken("/sessions/" + id));
        assertThat(session.path("exec_count").asLong()).isEqualTo(2);
        assertThat(session.path("image_id").stringValue()).startsWith("sha256:");
        assertThat(result.path("provenance").path("image_id").stringValue())
                .isEqualTo(session.path("image_id").stringValue());
        http.delete("/sessions/" + id);
    }

    @Test
    void aTimedOutExecIsInterruptedAndTheNextOneStillSeesTheObjects() throws Exception {
        String id = create("{\"limits\": {\"timeout_seconds\": 2}}");
        exec(id, "x <- 'kept'");

        HttpResponse<String> timedOut = http.post("/sessions/" + id + "/exec",
                "{\"script\": \"cat('sleeping'); flush(stdout()); Sys.sleep(60)\"}");

        assertThat(timedOut.statusCode()).isEqualTo(408);
        assertThat(exec(id, "cat(x)").path("stdout").stringValue()).isEqualTo("kept");
        http.delete("/sessions/" + id);
    }

    /** The lease (4 s) is far shorter than the exec, so only renewals keep it from being rescued and failed. */
    @Test
    void anExecLongerThanTheLeaseRunsOnceToItsEnd() throws Exception {
        String id = create("{}");
        JsonNode job = json(http.post("/jobs", "{\"script\": \"x <- 1; Sys.sleep(12); cat('done')\", "
                + "\"session\": \"" + id + "\"}"));
        JobId jobId = new JobId(job.path("id").stringValue());

        JobRecord done = await().atMost(SETTLE).until(() -> probe.find(jobId), record -> record.state().isTerminal());

        assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(done.result().stdout()).isEqualTo("done");
        assertThat(done.attempt()).isEqualTo(1);
        assertThat(done.errors()).isEmpty();
        assertThat(probe.count(jobId, JobEventType.STARTED)).isEqualTo(1);
        assertThat(exec(id, "cat(x)").path("stdout").stringValue()).isEqualTo("1");
        http.delete("/sessions/" + id);
    }

    @Test
    void aSecondExecWhileOneRunsIsRefusedWith409() throws Exception {
        String id = create("{}");
        JsonNode job = json(http.post("/jobs", "{\"script\": \"Sys.sleep(3)\", \"session\": \"" + id + "\"}"));
        await().atMost(SETTLE).until(() -> "running".equals(
                json(http.getWithToken("/jobs/" + job.path("id").stringValue())).path("status").stringValue()));

        HttpResponse<String> second = http.post("/sessions/" + id + "/exec", "{\"script\": \"1\"}");

        assertThat(second.statusCode()).isEqualTo(409);
        assertThat(second.headers().firstValue("Retry-After")).hasValue("1");
        http.delete("/sessions/" + id);
    }

    @Test
    void anExecThatRunsOutOfMemoryEndsTheSessionAsLostSayingWhy() throws Exception {
        String id = create("{\"limits\": {\"memory_mb\": 256}}");

        JsonNode result = exec(id, "x <- list(); for (i in 1:100) x[[i]] <- numeric(1e7)");

        assertThat(result.path("success").asBoolean()).isFalse();
        JsonNode gone = json(http.getWithToken("/sessions/" + id));
        assertThat(gone.path("session_status").stringValue()).isEqualTo("lost");
        assertThat(gone.path("reason").stringValue()).containsIgnoringCase("memory");
        await().atMost(SETTLE).until(() -> sessionContainers(id).isEmpty());
    }

    @Test
    void anIdleSessionExpiresAndItsContainerIsRemoved() throws Exception {
        String id = create("{\"ttl_seconds\": 2}");
        assertThat(sessionContainers(id)).hasSize(1);

        await().atMost(SETTLE).until(() -> http.getWithToken("/sessions/" + id).statusCode() == 410);

        JsonNode gone = json(http.getWithToken("/sessions/" + id));
        assertThat(gone.path("session_status").stringValue()).isEqualTo("expired");
        assertThat(gone.path("reason").stringValue()).isEqualTo("idle for longer than its ttl of 2 s");
        await().atMost(SETTLE).until(() -> sessionContainers(id).isEmpty());
    }

    @Test
    void theSessionsOfAKilledWorkerAreLostAndTheirContainersReaped() throws Exception {
        String doomedId = "doomed-" + System.nanoTime();
        AppProcess doomed = startWorker(doomedId);
        try {
            await().atMost(SETTLE).until(() -> http.getWithToken("/queue").body().contains(doomedId));
            String id = createOn(doomedId);

            doomed.kill();

            await().atMost(SETTLE).until(() -> http.getWithToken("/sessions/" + id).statusCode() == 410);
            JsonNode gone = json(http.getWithToken("/sessions/" + id));
            assertThat(gone.path("session_status").stringValue()).isEqualTo("lost");
            assertThat(gone.path("reason").stringValue()).contains(doomedId);
            await().atMost(SETTLE).until(() -> sessionContainers(id).isEmpty());
        } finally {
            doomed.close();
        }
    }

    @Test
    void aSessionIsKeptThroughAGracefulRestartOfItsWorker() throws Exception {
        String leavingId = "leaving-" + System.nanoTime();
        AppProcess leaving = startWorker(leavingId);
        try {
            await().atMost(SETTLE).until(() -> http.getWithToken("/queue").body().contains(leavingId));
            String id = createOn(leavingId);
            exec(id, "x <- 41; library(stats4)");
            assertThat(http.put("/sessions/" + id + "/files/note.txt", "kept".getBytes(StandardCharsets.UTF_8))
                    .statusCode()).isEqualTo(204);

            leaving.terminate(SETTLE);

            JsonNode moved = await().atMost(SETTLE).until(() -> json(http.getWithToken("/sessions/" + id)),
                    session -> "ready".equals(session.path("status").stringValue()));
            assertThat(moved.path("worker").stringValue()).isEqualTo(STEADY);
            assertThat(exec(id, "cat(x + 1, exists('mle'), readLines('note.txt'))").path("stdout").stringValue())
                    .isEqualTo("42 TRUE kept");
            assertThat(sessionContainers(id)).hasSize(1);
            http.delete("/sessions/" + id);
        } finally {
            leaving.close();
        }
    }

    @Test
    void filesPutAreReadByRAndFilesRWritesAreListedFetchedAndDeleted() throws Exception {
        String id = create("{}");
        String files = "/sessions/" + id + "/files/";

        assertThat(http.put(files + "data/in.csv", "x\n1\n2\n".getBytes(StandardCharsets.UTF_8)).statusCode())
                .isEqualTo(204);
        exec(id, "d <- read.csv('data/in.csv'); dir.create('out'); writeLines(as.character(sum(d$x) * 10), "
                + "'out/my result.txt')");

        JsonNode listing = json(http.getWithToken("/sessions/" + id + "/files"));
        assertThat(listing.findValuesAsString("path")).contains("data", "data/in.csv", "out", "out/my result.txt");
        for (JsonNode file : listing) {
            assertThat(file.path("type").stringValue()).as(file.toString())
                    .isEqualTo(file.path("path").stringValue().contains(".") ? "file" : "directory");
            assertThat(file.hasNonNull("mtime")).isTrue();
        }
        HttpResponse<byte[]> fetched = http.getBytes(files + "out/my%20result.txt");
        assertThat(fetched.statusCode()).isEqualTo(200);
        assertThat(new String(fetched.body(), StandardCharsets.UTF_8)).isEqualTo("30\n");
        assertThat(fetched.headers().firstValue("Content-Type")).hasValueSatisfying(type -> type.startsWith(
                "text/plain"));
        assertThat(fetched.headers().firstValue("Content-Disposition")).hasValueSatisfying(disposition ->
                assertThat(disposition).startsWith("attachment"));
        assertThat(http.delete(files + "data/in.csv").statusCode()).isEqualTo(204);
        HttpResponse<byte[]> gone = http.getBytes(files + "data/in.csv");
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(new String(gone.body(), StandardCharsets.UTF_8)).contains("file-not-found");
        assertThat(exec(id, "cat(file.exists('data/in.csv'))").path("stdout").stringValue()).isEqualTo("FALSE");
        http.delete("/sessions/" + id);
    }

    @Test
    void workspaceBytesFollowWhatExecsWroteAndDeletedOnceTheSessionIsIdle() throws Exception {
        String id = create("{}");

        exec(id, "writeBin(as.raw(sample(0:255, 3e6, replace = TRUE)), 'big.bin')");
        await().atMost(Duration.ofSeconds(15)).until(() -> workspaceBytes(id) >= 3_000_000);
        exec(id, "invisible(file.remove('big.bin'))");
        await().atMost(Duration.ofSeconds(15)).until(() -> workspaceBytes(id) < 1_000_000);
        http.delete("/sessions/" + id);
    }

    private static long workspaceBytes(String id) throws Exception {
        return json(http.getWithToken("/sessions/" + id)).path("workspace_bytes").asLong();
    }

    @Test
    void everyPathThatCouldLeaveTheWorkspaceIsRefused() throws Exception {
        String id = create("{}");
        exec(id, "file.symlink('/etc', 'etc'); file.symlink('/tmp', 'tmp')");
        String files = "/sessions/" + id + "/files/";

        for (String path : List.of("../x", "a/../../x", "%2e%2e/x", "..%2Fx", "%2Fetc%2Fpasswd", "a//b",
                "a%5C..%5Cx", "a%00b", "./x")) {
            HttpResponse<String> put = http.put(files + path, new byte[] {1});
            assertThat(put.statusCode()).as(path + ": " + put.body()).isEqualTo(422);
            assertThat(http.getBytes(files + path).statusCode()).as(path).isEqualTo(422);
        }
        assertThat(http.put(files + "tmp/x", new byte[] {1}).statusCode()).as("through a symlink").isEqualTo(422);
        assertThat(http.getBytes(files + "etc/passwd").statusCode()).as("through a symlink").isEqualTo(404);
        assertThat(exec(id, "cat(file.exists('/tmp/x'))").path("stdout").stringValue()).isEqualTo("FALSE");
        http.delete("/sessions/" + id);
    }

    @Test
    void aFileTheWorkspaceHasNoRoomForAnswers507AndLeavesNothing() throws Exception {
        String id = create("{}");
        exec(id, "writeBin(raw(64 * 1024^2 - 2e6), 'filler.bin')");

        HttpResponse<String> full = http.put("/sessions/" + id + "/files/big.bin", new byte[4_000_000]);

        assertThat(full.statusCode()).as(full.body()).isEqualTo(507);
        assertThat(json(full).path("type").stringValue()).isEqualTo("urn:rrunner:problem:workspace-full");
        assertThat(json(http.getWithToken("/sessions/" + id + "/files")).findValuesAsString("path"))
                .containsExactly("filler.bin");
        http.delete("/sessions/" + id);
    }

    /** Creates sessions until one lands on {@code worker}, deleting the others; both workers have room. */
    private static String createOn(String worker) throws Exception {
        for (int i = 0; i < 20; i++) {
            String id = create("{}");
            if (worker.equals(json(http.getWithToken("/sessions/" + id)).path("worker").stringValue())) {
                return id;
            }
            http.delete("/sessions/" + id);
        }
        throw new AssertionError("no session landed on " + worker + " in 20 tries");
    }

    private static String create(String body) throws Exception {
        HttpResponse<String> created = http.post("/sessions", body);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode session = Http.JSON.readTree(created.body());
        assertThat(session.path("status").stringValue()).isEqualTo("ready");
        return session.path("id").stringValue();
    }

    private static JsonNode exec(String id, String script) throws Exception {
        HttpResponse<String> answer = http.post("/sessions/" + id + "/exec",
                Http.JSON.writeValueAsString(Map.of("script", script)));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return Http.JSON.readTree(answer.body());
    }

    private static JsonNode json(HttpResponse<String> response) {
        return Http.JSON.readTree(response.body());
    }

    private static List<Container> sessionContainers(String id) {
        return DockerClientFactory.instance().client().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(SandboxLabels.SESSION, id)).exec();
    }

    private static AppProcess startWorker(String id) {
        return AppProcess.start(id, "rrunner.workerJar", Env.merge(shared(), Map.of(
                "WORKER_PORT", Integer.toString(Env.freePort()), "WORKER_ID", id, "WORKER_CONCURRENCY", "1",
                "WORKER_MAX_SESSIONS", "4", "RUNNER_POOL_SIZE", "0", "REAPER_INTERVAL", "2s")));
    }

    private static Map<String, String> shared() {
        return Map.of("REDIS_URL", RedisTestContainer.url(REDIS), "REDIS_KEY_PREFIX", PREFIX,
                "WORKER_HEARTBEAT_INTERVAL", "1s", "RESCUE_INTERVAL", "1s", "SESSION_CHECK_INTERVAL", "500ms",
                "LEASE_DURATION", "4s", "LEASE_RENEW_INTERVAL", "1s");
    }
}
