package rrunner.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import rrunner.common.event.JobEventType;
import rrunner.common.job.JobRecord;
import rrunner.common.job.JobState;
import rrunner.common.testing.RedisTestContainer;
import rrunner.worker.testing.JobContainers.Life;
import rrunner.worker.testing.JobContainers;

/**
 * SIGTERM stops a worker gracefully: running jobs finish within the grace period, later ones are handed back. The
 * lease (6 s) is shorter than the jobs that matter here (8 to 10 s), so a worker that stopped renewing while it
 * drained would see its jobs rescued and run a second time.
 */
@Testcontainers
class WorkerShutdownE2EIT {

    private static final String TOKEN = "shutdown-token";
    private static final String PREFIX = "shutdown";
    private static final Duration JOB_END = Duration.ofSeconds(90);

    @Container
    static final GenericContainer<?> REDIS = RedisTestContainer.create();

    private static AppProcess gateway;
    private static Http http;
    private static QueueProbe probe;

    @BeforeAll
    static void startGateway() {
        int port = Env.freePort();
        http = new Http("http://localhost:" + port, TOKEN);
        gateway = AppProcess.start("gateway", "rrunner.gatewayJar", Env.merge(shared(), Map.of(
                "PORT", Integer.toString(port), "RUNNER_TOKEN", TOKEN)));
        probe = new QueueProbe(RedisTestContainer.url(REDIS), PREFIX);
        await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> http.get("/health").statusCode() == 200);
    }

    @AfterAll
    static void stopGateway() throws InterruptedException {
        probe.close();
        gateway.close();
    }

    @Test
    void aRunningJobFinishesWithinTheGracePeriod() throws Exception {
        AppProcess worker = startWorker("graceful", "30s");
        CompletableFuture<HttpResponse<String>> answer = runAsync("cat('start\\n'); Sys.sleep(4); cat('end')");
        awaitLeases(1);

        worker.terminate(Duration.ofSeconds(60));

        HttpResponse<String> response = answer.get();
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"stdout\":\"start\\nend\"");
    }

    @Test
    void jobsLongerThanTheLeaseRunOnceWhenTheirWorkerIsStopped() throws Exception {
        try (AppProcess first = startWorker("first", "30s"); AppProcess second = startWorker("second", "30s")) {
            awaitWorkers("first", "second");
            List<JobRecord> jobs = new ArrayList<>();
            for (String name : List.of("a", "b", "c", "d")) {
                jobs.add(probe.enqueue("cat('" + name + "'); Sys.sleep(10)"));
            }
            awaitLeases(4);
            String stopped = probe.find(jobs.get(0).id()).attemptedBy();
            assertThat(jobs).filteredOn(job -> stopped.equals(probe.find(job.id()).attemptedBy())).hasSize(2);

            ("first".equals(stopped) ? first : second).terminate(Duration.ofSeconds(60));

            for (JobRecord job : jobs) {
                JobRecord done = await().atMost(JOB_END).until(() -> probe.find(job.id()),
                        record -> record.state().isTerminal());
                System.out.printf("shutdown: job %s by %s%s: %s, attempt %d, %d started event(s)%n", job.id(),
                        done.attemptedBy(), stopped.equals(done.attemptedBy()) ? " (stopped)" : "",
                        done.state().wireName(), done.attempt(), probe.count(job.id(), JobEventType.STARTED));
                assertThat(done.state()).as("job %s", job.id()).isEqualTo(JobState.SUCCEEDED);
                assertThat(done.attempt()).as("attempts of job %s", job.id()).isEqualTo(1);
                assertThat(done.errors()).isEmpty();
                assertThat(probe.count(job.id(), JobEventType.STARTED)).as("runs of job %s", job.id()).isEqualTo(1);
                assertThat(probe.count(job.id(), JobEventType.FINISHED)).isEqualTo(1);
            }
            assertThat(jobs).extracting(job -> probe.find(job.id()).result().stdout())
                    .containsExactly("a", "b", "c", "d");
        }
    }

    @Test
    void aJobOutlastingTheGracePeriodIsHandedBackWithoutUsingAnAttemptAndFinishedByAnotherWorker()
            throws Exception {
        try (JobContainers history = JobContainers.record(DockerClientFactory.instance().client());
                AppProcess one = startWorker("one", "1s"); AppProcess other = startWorker("other", "1s")) {
            awaitWorkers("one", "other");
            JobRecord job = probe.enqueue("cat('slow'); Sys.sleep(8)");
            // why its output: only then is its container certainly running, not still being prepared
            await().atMost(Duration.ofSeconds(60)).until(() -> probe.count(job.id(), JobEventType.STDOUT) > 0);
            String leaving = probe.find(job.id()).attemptedBy();

            ("one".equals(leaving) ? one : other).terminate(Duration.ofSeconds(60));

            JobRecord done = await().atMost(JOB_END).until(() -> probe.find(job.id()),
                    record -> record.state().isTerminal());
            assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(done.result().stdout()).isEqualTo("slow");
            assertThat(done.attempt()).as("a hand-back uses no attempt").isEqualTo(1);
            assertThat(done.attemptedBy()).isNotEqualTo(leaving);
            assertThat(done.errors()).singleElement().satisfies(error -> {
                assertThat(error.worker()).isEqualTo(leaving);
                assertThat(error.message()).contains("handed back at shutdown");
            });
            // why await: the last container's events may still be on their way
            List<Life> containers = await().atMost(Duration.ofSeconds(10))
                    .until(() -> history.of(job.id()), lives -> lives.size() == 2);
            assertThat(containers).as("one container per claim").hasSize(2);
            assertThat(containers.get(0).died()).as("the first container is dead before the second starts")
                    .isNotNull().isBefore(containers.get(1).started());
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

    /** The queue reports this many running jobs once workers claimed them; their containers then start at once. */
    private static void awaitLeases(int running) {
        await().atMost(Duration.ofSeconds(60)).until(() -> probe.leases() == running);
    }

    /** Both workers sent a heartbeat, so their claim loops are starting or running. */
    private static void awaitWorkers(String... ids) {
        await().atMost(Duration.ofSeconds(90)).until(() -> probe.workers().containsAll(List.of(ids)));
    }

    private static AppProcess startWorker(String name, String grace) {
        return AppProcess.start(name, "rrunner.workerJar", Env.merge(shared(), Map.of(
                "WORKER_PORT", Integer.toString(Env.freePort()), "WORKER_ID", name,
                "WORKER_SHUTDOWN_GRACE", grace, "WORKER_CONCURRENCY", "2",
                // why no pool: only containers created for a job carry its label, which JobContainers reads
                "RUNNER_POOL_SIZE", "0")));
    }

    private static Map<String, String> shared() {
        return Map.of("REDIS_URL", RedisTestContainer.url(REDIS), "REDIS_KEY_PREFIX", PREFIX,
                "RETRY_INITIAL_BACKOFF", "100ms", "LEASE_DURATION", "6s", "LEASE_RENEW_INTERVAL", "2s",
                "RESCUE_INTERVAL", "1s");
    }
}
