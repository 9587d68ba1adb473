package rrunner.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import rrunner.common.testing.RedisTestContainer;

/** SIGTERM stops a worker gracefully: running jobs finish within the grace period, later ones are handed back. */
@Testcontainers
class WorkerShutdownE2EIT {

    private static final String TOKEN = "shutdown-token";

    @Container
    static final GenericContainer<?> REDIS = RedisTestContainer.create();

    private static AppProcess gateway;
    private static Http http;

    @BeforeAll
    static void startGateway() {
        int port = Env.freePort();
        http = new Http("http://localhost:" + port, TOKEN);
        gateway = AppProcess.start("gateway", "rrunner.gatewayJar", Env.merge(shared(), Map.of(
                "PORT", Integer.toString(port), "RUNNER_TOKEN", TOKEN)));
        await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> http.get("/health").statusCode() == 200);
    }

    @AfterAll
    static void stopGateway() throws InterruptedException {
        gateway.close();
    }

    @Test
    void aRunningJobFinishesWithinTheGracePeriod() throws Exception {
        AppProcess worker = startWorker("graceful", "30s");
        CompletableFuture<HttpResponse<String>> answer = runAsync("cat('start\\n'); Sys.sleep(4); cat('end')");
        awaitRunning();

        worker.terminate(Duration.ofSeconds(60));

        HttpResponse<String> response = answer.get();
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"stdout\":\"start\\nend\"");
    }

    @Test
    void aJobOutlastingTheGracePeriodIsHandedBackAndFinishedByAnotherWorker() throws Exception {
        AppProcess leaving = startWorker("leaving", "1s");
        CompletableFuture<HttpResponse<String>> answer = runAsync("cat('slow'); Sys.sleep(8)");
        awaitRunning();

        leaving.terminate(Duration.ofSeconds(60));
        try (AppProcess staying = startWorker("staying", "30s")) {
            HttpResponse<String> response = answer.get();
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("\"stdout\":\"slow\"");
        }
    }

    private static CompletableFuture<HttpResponse<String>> runAsync(String script) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return http.run(script);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** The queue reports one running job once the worker claimed it; its container then starts at once. */
    private static void awaitRunning() {
        await().atMost(Duration.ofSeconds(60)).until(() -> redisLeases() == 1);
    }

    private static long redisLeases() {
        io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(RedisTestContainer.url(REDIS));
        try (var connection = client.connect()) {
            return connection.sync().zcard("shutdown:queue:leases");
        } finally {
            client.shutdown();
        }
    }

    private static AppProcess startWorker(String name, String grace) {
        return AppProcess.start(name, "rrunner.workerJar", Env.merge(shared(), Map.of(
                "WORKER_PORT", Integer.toString(Env.freePort()), "WORKER_ID", name,
                "WORKER_SHUTDOWN_GRACE", grace)));
    }

    private static Map<String, String> shared() {
        return Map.of("REDIS_URL", RedisTestContainer.url(REDIS), "REDIS_KEY_PREFIX", "shutdown",
                "RETRY_INITIAL_BACKOFF", "100ms");
    }
}
