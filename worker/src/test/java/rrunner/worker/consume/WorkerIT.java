package rrunner.worker.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static rrunner.common.testing.Jobs.aSpec;

import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.MeterRegistry;
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
import rrunner.common.event.JobEvent;
import rrunner.common.event.JobEventType;
import rrunner.common.job.JobRecord;
import rrunner.common.job.JobState;
import rrunner.common.json.JsonCodec;
import rrunner.common.queue.JobQueue;
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

    private JobRecord awaitTerminal(JobRecord job) {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> queue.find(job.id()).block(), record -> record.state().isTerminal());
    }
}
