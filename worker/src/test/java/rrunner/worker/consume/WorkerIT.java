package rrunner.worker.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static rrunner.common.testing.Jobs.aSpec;

import com.github.dockerjava.api.DockerClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.test.annotation.DirtiesContext;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import rrunner.common.environment.EnvironmentReport;
import rrunner.common.environment.EnvironmentStatus;
import rrunner.common.event.JobEvent;
import rrunner.common.event.JobEventType;
import rrunner.common.job.InputFile;
import rrunner.common.job.InputFileDigest;
import rrunner.common.job.JobRecord;
import rrunner.common.job.JobSpec;
import rrunner.common.job.JobState;
import rrunner.common.job.Limits;
import rrunner.common.job.Provenance;
import rrunner.common.json.JsonCodec;
import rrunner.common.queue.JobQueue;
import rrunner.common.queue.WorkerRegistry;
import rrunner.common.queue.WorkerRegistry.Heartbeat;
import rrunner.common.queue.WorkerRegistry.LiveWorker;
import rrunner.common.system.ImageInventory;
import rrunner.common.testing.RedisTestContainer;
import rrunner.worker.config.WorkerIdentity;
import rrunner.worker.testing.WorkerJobContainers;

/** The whole worker application on a real Redis and Docker engine, driven through the queue protocol. */
// why dirties: the app's claim loop would keep polling the stopped Redis until the JVM exits
@DirtiesContext
@Testcontainers
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "rrunner.queue.key-prefix=worker-it",
        "rrunner.worker.concurrency=2",
        "rrunner.queue.lease=3s",
        "rrunner.queue.lease-renew-interval=1s"})
class WorkerIT {

    @Container
    @ServiceConnection(name = "redis")
    static final GenericContainer<?> REDIS = RedisTestContainer.create();

    @Autowired
    JobQueue queue;

    @Autowired
    WorkerIdentity identity;

    @Autowired
    StatefulRedisConnection<String, String> redis;

    @Autowired
    MeterRegistry meters;

    @Autowired
    WorkerRegistry registry;

    @Autowired
    DockerClient docker;

    @RegisterExtension
    final WorkerJobContainers jobContainers = new WorkerJobContainers();

    @Test
    void runsAQueuedJobAndStreamsItsOutputBeforeTheFinishedEvent() {
        JobRecord job = queue.enqueue(aSpec("cat('one\\n'); message('two'); quit(status = 4)")).block();

        JobRecord done = awaitTerminal(job);

        assertThat(done.state()).isEqualTo(JobState.FAILED);
        assertThat(done.result().exitCode()).isEqualTo(4);
        assertThat(done.result().stdout()).isEqualTo("one\n");
        assertThat(done.result().stderr()).isEqualTo("two\n");
        assertThat(done.attemptedBy()).isEqualTo(identity.id());
        List<JobEvent> events = queue.events(job.id(), null).collectList().block();
        assertThat(events).extracting(JobEvent::type)
                .startsWith(JobEventType.QUEUED, JobEventType.STARTED)
                .endsWith(JobEventType.FINISHED)
                .contains(JobEventType.STDOUT, JobEventType.STDERR);
        assertThat(events).filteredOn(e -> e.type() == JobEventType.STDOUT).extracting(JobEvent::data)
                .containsExactly("one\n");
    }

    @Test
    void storesHowLongEachPhaseTookWithTheResultAndTimesThePhasesInItsMetrics() {
        JobRecord job = queue.enqueue(aSpec("Sys.sleep(0.3); cat('timed')")).block();

        JobRecord done = awaitTerminal(job);

        assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(done.timings()).isNotNull().satisfies(timings -> {
            assertThat(timings.script()).isGreaterThanOrEqualTo(Duration.ofMillis(300));
            assertThat(timings.acquire()).isGreaterThanOrEqualTo(Duration.ZERO);
            assertThat(timings.collect()).isPositive();
        });
        // why await: the worker records its metrics just after the finish the record above shows
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(List.of(
                        meters.find("rrunner.job.run").tag("outcome", "succeeded"),
                        meters.find("rrunner.job.collect").tag("outcome", "succeeded"),
                        meters.find("rrunner.container.ready")))
                .allSatisfy(search -> assertThat(search.timers()).singleElement()
                        .satisfies(timer -> assertThat(timer.count()).isPositive())));
    }

    @Test
    void cancellingARunningJobKillsItsContainer() {
        JobRecord job = queue.enqueue(aSpec("cat('started\\n'); Sys.sleep(60)")).block();
        await().atMost(Duration.ofSeconds(30)).until(() -> queue.events(job.id(), null)
                .any(e -> e.type() == JobEventType.STDOUT).block());

        assertThat(queue.cancel(job.id()).block()).isEqualTo(JobState.RUNNING);

        JobRecord done = awaitTerminal(job);
        assertThat(done.state()).isEqualTo(JobState.CANCELLED);
        assertThat(done.result()).isNull();
    }

    @Test
    void runsSeveralJobsAtOnceUpToItsConcurrency() {
        List<JobRecord> jobs = List.of(
                queue.enqueue(aSpec("Sys.sleep(1); cat('a')")).block(),
                queue.enqueue(aSpec("Sys.sleep(1); cat('b')")).block(),
                queue.enqueue(aSpec("Sys.sleep(1); cat('c')")).block());

        assertThat(jobs).map(this::awaitTerminal).extracting(r -> r.result().stdout())
                .containsExactly("a", "b", "c");
    }

    @Test
    void publishesTheImageInventoryForSystem() {
        String json = await().atMost(Duration.ofSeconds(60))
                .until(() -> redis.sync().get(queue.keys().system()), value -> value != null);

        ImageInventory inventory = JsonCodec.read(json, ImageInventory.class);
        assertThat(inventory.packages()).contains("base", "stats", "grDevices");
        assertThat(inventory.rVersion()).startsWith("R version 4");
        assertThat(inventory.imageId()).startsWith("sha256:");
    }

    @Test
    void saysWhatProducedEachResultAsItsHeartbeatReportsTheEnvironment() {
        JobSpec spec = new JobSpec("cat(readLines('in/data.txt'))", 20, 10, 5_000_000,
                JobSpec.DEFAULT_MAX_RESULT_BYTES, "r-base", 256, 0.5,
                List.of(new InputFile("in/data.txt", "abc".getBytes(StandardCharsets.UTF_8))));
        JobRecord timingOut = queue.enqueue(new JobSpec("Sys.sleep(60)", 1, 10, 5_000_000)).block();

        JobRecord done = awaitTerminal(queue.enqueue(spec).block());
        JobRecord timedOut = awaitTerminal(timingOut);

        assertThat(done.result().stdout()).isEqualTo("abc");
        Provenance provenance = done.result().provenance();
        assertThat(provenance.environment()).isEqualTo("r-base");
        assertThat(provenance.imageId()).isEqualTo(docker.inspectImageCmd("r-runner-r-base:latest").exec().getId());
        assertThat(provenance.rVersion()).startsWith("R version 4");
        assertThat(provenance.limits()).isEqualTo(new Limits(20, 256, 0.5));
        assertThat(provenance.inputFiles()).containsExactly(new InputFileDigest("in/data.txt", 3,
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
        assertThat(timedOut.state()).isEqualTo(JobState.TIMED_OUT);
        assertThat(timedOut.result().provenance()).isEqualTo(new Provenance("r-base", provenance.imageId(),
                provenance.rVersion(), new Limits(1, 512, 1.0), List.of()));
        EnvironmentReport report = await().atMost(Duration.ofSeconds(30)).until(
                () -> heartbeat().environments().get("r-base"), r -> r != null && r.rVersion() != null);
        assertThat(report).isEqualTo(new EnvironmentReport(EnvironmentStatus.READY, provenance.imageId(),
                provenance.rVersion()));
        assertThat(heartbeat().environments()).containsOnlyKeys("r-base");
    }

    @Test
    void handsBackAJobOfAnEnvironmentItDoesNotServe() {
        JobRecord job = queue.enqueue(new JobSpec("cat(1)", 30, 10, 5_000_000, JobSpec.DEFAULT_MAX_RESULT_BYTES,
                "r-full", 0, 0, List.of())).block();

        JobRecord done = awaitTerminal(job);

        assertThat(done.state()).isEqualTo(JobState.FAILED);
        assertThat(done.errors()).isNotEmpty().allSatisfy(error -> assertThat(error.message())
                .contains("environment r-full is not served by worker " + identity.id() + ", which serves r-base"));
    }

    private Heartbeat heartbeat() {
        return registry.liveWorkers(Duration.ofMinutes(1)).block().stream().map(LiveWorker::heartbeat)
                .filter(beat -> beat.workerId().equals(identity.id())).findFirst().orElseThrow();
    }

    private JobRecord awaitTerminal(JobRecord job) {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> queue.find(job.id()).block(), record -> record.state().isTerminal());
    }
}
