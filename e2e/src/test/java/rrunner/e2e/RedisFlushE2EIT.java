package rrunner.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import rrunner.common.testing.RedisTestContainer;
import tools.jackson.databind.JsonNode;

/**
 * Redis forgets everything ({@code FLUSHALL}, as a restart without persistence does) while a gateway and two
 * workers run and a job is running: the workers register again, {@code GET /system} answers again, the lost job's
 * container is stopped and its caller answered, and new jobs run, with no process restarted.
 */
@Testcontainers
class RedisFlushE2EIT {

    private static final String TOKEN = "flush-token";
    private static final String PREFIX = "flush";
    private static final String WORKER_PREFIX = "flush-" + System.nanoTime() + "-";
    private static final List<String> WORKERS = List.of(WORKER_PREFIX + "a", WORKER_PREFIX + "b");

    @Container
    static final GenericContainer<?> REDIS = RedisTestContainer.create();

    @Test
    void workersAndTheImageInventoryComeBackWithoutARestartAfterRedisForgetsEverything() throws Exception {
        Map<String, String> shared = Map.of("REDIS_URL", RedisTestContainer.url(REDIS), "REDIS_KEY_PREFIX", PREFIX,
                "WORKER_HEARTBEAT_INTERVAL", "1s", "LEASE_DURATION", "3s", "LEASE_RENEW_INTERVAL", "1s");
        int port = Env.freePort();
        Http http = new Http("http://localhost:" + port, TOKEN);
        List<AppProcess> apps = new ArrayList<>();
        try (QueueProbe probe = new QueueProbe(RedisTestContainer.url(REDIS), PREFIX)) {
            apps.add(AppProcess.start("gateway", "rrunner.gatewayJar", Env.merge(shared, Map.of(
                    "PORT", Integer.toString(port), "RUNNER_TOKEN", TOKEN, "RUN_QUEUE_TIMEOUT_SECONDS", "5"))));
            for (String id : WORKERS) {
                apps.add(AppProcess.start(id, "rrunner.workerJar", Env.merge(shared, Map.of(
                        "WORKER_PORT", Integer.toString(Env.freePort()), "WORKER_ID", id))));
            }
            awaitServing(http);
            // why: a worker still listing packages at the flush would publish afterwards and prove nothing
            await().atMost(Duration.ofSeconds(90)).until(() -> apps.stream().skip(1)
                    .allMatch(worker -> worker.log().contains("published the inventory of")));
            CompletableFuture<HttpResponse<String>> lost = CompletableFuture.supplyAsync(() -> {
                try {
                    return http.run("cat('lost'); Sys.sleep(60)");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            await().atMost(Duration.ofSeconds(60)).until(() -> probe.leases() == 1);

            probe.flushAll();

            awaitServing(http);
            HttpResponse<String> lostAnswer = lost.get(60, TimeUnit.SECONDS);
            assertThat(lostAnswer.statusCode()).as(lostAnswer.body()).isEqualTo(503);
            // why 10 s: a worker stops the container of a job Redis forgot at its next lease renewal
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(Sandboxes.withJobsOf(WORKERS::contains)).as("containers of the lost job").isEmpty());
            HttpResponse<String> after = http.run("cat('after')");
            assertThat(after.statusCode()).as(after.body()).isEqualTo(200);
            assertThat(after.body()).contains("\"stdout\":\"after\"");
            assertThat(apps).allMatch(AppProcess::isAlive);
        } finally {
            for (AppProcess app : apps) {
                app.close();
            }
        }
        assertThat(Sandboxes.of(WORKERS::contains)).as("sandboxes left by stopped workers").isEmpty();
    }

    /** Both workers listed by {@code GET /queue}, and {@code GET /system} answering with the image's packages. */
    private static void awaitServing(Http http) {
        await().atMost(Duration.ofSeconds(90)).ignoreExceptions().untilAsserted(() -> {
            HttpResponse<String> queue = http.getWithToken("/queue");
            assertThat(queue.statusCode()).isEqualTo(200);
            List<String> listed = new ArrayList<>();
            Http.JSON.readTree(queue.body()).get("workers").forEach(w -> listed.add(w.get("id").asString()));
            assertThat(listed).containsAll(WORKERS);
            HttpResponse<String> system = http.get("/system");
            assertThat(system.statusCode()).isEqualTo(200);
            JsonNode packages = Http.JSON.readTree(system.body()).get("packages");
            assertThat(packages.toString()).contains("\"base\"", "\"stats\"");
        });
    }
}
