package rrunner.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.api.sync.RedisCommands;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import rrunner.common.testing.RedisTestContainer;
import tools.jackson.databind.JsonNode;

/**
 * Many sync jobs while worker processes are SIGKILLed at random moments and restarted: every accepted job must
 * end in exactly one terminal state, none lost, none duplicated, and no container may be left. The job count is
 * {@code -Drrunner.chaos.jobs} (CI runs a reduced count; the documented full run uses 200).
 */
@Testcontainers
class ChaosE2EIT {

    private static final int JOBS = Integer.getInteger("rrunner.chaos.jobs", 40);
    private static final int CALLERS = 8;
    private static final String PREFIX = "chaos";
    private static final String TOKEN = "chaos-token";
    private static final String WORKER_PREFIX = "chaos-" + System.nanoTime() + "-";

    @Container
    static final GenericContainer<?> REDIS = RedisTestContainer.create();

    private final Random random = new Random(42);
    private int kills;

    @Test
    void everyAcceptedJobEndsExactlyOnceWhileWorkersAreKilled() throws Exception {
        int port = Env.freePort();
        Map<String, String> shared = Map.of("REDIS_URL", RedisTestContainer.url(REDIS), "REDIS_KEY_PREFIX", PREFIX,
                "LEASE_DURATION", "3s", "LEASE_RENEW_INTERVAL", "1s", "RESCUE_INTERVAL", "1s",
                "REAPER_INTERVAL", "2s", "RETRY_INITIAL_BACKOFF", "100ms", "MAX_ATTEMPTS", "5",
                "WORKER_HEARTBEAT_INTERVAL", "1s");
        List<AppProcess> workers = new ArrayList<>(List.of(startWorker(shared, 1), startWorker(shared, 2)));
        List<String> workerIds = new ArrayList<>(List.of(WORKER_PREFIX + 1, WORKER_PREFIX + 2));
        try (AppProcess gateway = AppProcess.start("gateway", "rrunner.gatewayJar", Env.merge(shared, Map.of(
                "PORT", Integer.toString(port), "RUNNER_TOKEN", TOKEN, "RUN_QUEUE_TIMEOUT_SECONDS", "120")))) {
            Http http = new Http("http://localhost:" + port, TOKEN);
            await().atMost(Duration.ofSeconds(90)).ignoreExceptions()
                    .until(() -> http.get("/system").statusCode() == 200);

            List<HttpResponse<String>> answers = runJobsWhileKillingWorkers(http, workers, workerIds, shared);

            assertThat(answers).hasSize(JOBS);
            Map<String, Integer> outcomes = new HashMap<>();
            for (int i = 0; i < JOBS; i++) {
                outcomes.merge(checkAnswer(i, answers.get(i)), 1, Integer::sum);
            }
            System.out.printf("chaos: %d jobs, %d worker kills, outcomes %s%n", JOBS, kills, outcomes);
            Map<String, Integer> expectedStates = new HashMap<>();
            outcomes.forEach((outcome, n) ->
                    expectedStates.put(outcome.equals("withdrawn") ? "cancelled" : outcome, n));
            assertThat(storedStates()).isEqualTo(expectedStates);
            // why 90 s: a killed worker's containers go once a live worker's reaper sees it missed its heartbeats
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                assertThat(Sandboxes.withJobsOf(id -> id.startsWith(WORKER_PREFIX))).as("job containers").isEmpty();
                assertThat(Sandboxes.of(id -> id.startsWith(WORKER_PREFIX) && !workerIds.contains(id)))
                        .as("containers of killed workers").isEmpty();
            });
        } finally {
            for (AppProcess worker : workers) {
                worker.close();
            }
        }
        assertThat(Sandboxes.of(id -> id.startsWith(WORKER_PREFIX))).as("sandboxes left by stopped workers").isEmpty();
    }

    private List<HttpResponse<String>> runJobsWhileKillingWorkers(Http http, List<AppProcess> workers,
            List<String> workerIds, Map<String, String> shared) throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
        try {
            List<Future<HttpResponse<String>>> pending = new ArrayList<>();
            for (int i = 0; i < JOBS; i++) {
                String script = String.format("Sys.sleep(%.2f); cat('job-%d')", 0.2 + random.nextDouble(), i);
                pending.add(callers.submit(() -> http.run(script)));
            }
            while (pending.stream().anyMatch(f -> !f.isDone())) {
                // why a pause: it picks the random moment of the next kill; nothing waits on it for a result
                await().pollDelay(Duration.ofMillis(4000 + random.nextInt(6000))).until(() -> true);
                int victim = random.nextInt(workers.size());
                workers.get(victim).kill();
                int n = 10 + kills++;
                workers.set(victim, startWorker(shared, n));
                workerIds.set(victim, WORKER_PREFIX + n);
            }
            List<HttpResponse<String>> answers = new ArrayList<>();
            for (Future<HttpResponse<String>> f : pending) {
                answers.add(f.get());
            }
            return answers;
        } finally {
            callers.shutdownNow();
        }
    }

    /**
     * Every caller gets a definite answer: its own result, or a 503 saying its job was withdrawn from the queue
     * because no worker took it in time (workers spend much of this test restarting).
     */
    private static String checkAnswer(int i, HttpResponse<String> answer) {
        JsonNode body = Http.JSON.readTree(answer.body());
        if (answer.statusCode() == 503) {
            assertThat(body.get("detail").asString()).contains("withdrawn");
            return "withdrawn";
        }
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        if (body.get("success").asBoolean()) {
            assertThat(body.get("stdout").asString()).as("job %d got its own output", i).isEqualTo("job-" + i);
            return "succeeded";
        }
        assertThat(body.get("runtime_stderr").asString()).contains("attempt");
        return "failed";
    }

    /** Counts stored jobs by state, checking each ended once: one finished event, no lease, nothing queued. */
    private static Map<String, Integer> storedStates() {
        RedisClient client = RedisClient.create(RedisTestContainer.url(REDIS));
        try (var connection = client.connect()) {
            RedisCommands<String, String> redis = connection.sync();
            List<String> jobKeys = redis.scan(ScanArgs.Builder.matches(PREFIX + ":job:*").limit(10_000)).getKeys()
                    .stream().filter(k -> !k.endsWith(":events")).toList();
            assertThat(jobKeys).hasSize(JOBS);
            Map<String, Integer> states = new HashMap<>();
            for (String key : jobKeys) {
                states.merge(redis.hget(key, "state"), 1, Integer::sum);
                long finishedEvents = redis.xrange(key + ":events", Range.create("-", "+")).stream()
                        .filter(m -> "finished".equals(m.getBody().get("type"))).count();
                assertThat(finishedEvents).as("finished events of %s", key).isEqualTo(1);
            }
            assertThat(redis.zcard(PREFIX + ":queue:leases")).isZero();
            assertThat(redis.llen(PREFIX + ":queue:pending")).isZero();
            return states;
        } finally {
            client.shutdown();
        }
    }

    private static AppProcess startWorker(Map<String, String> shared, int n) {
        return AppProcess.start("worker-" + n, "rrunner.workerJar", Env.merge(shared, Map.of(
                "WORKER_PORT", Integer.toString(Env.freePort()), "WORKER_CONCURRENCY", "2", "WORKER_ID", WORKER_PREFIX + n)));
    }
}
