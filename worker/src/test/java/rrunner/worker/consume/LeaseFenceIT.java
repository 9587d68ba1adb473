package rrunner.worker.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static rrunner.common.testing.Jobs.aSpec;

import com.github.dockerjava.api.DockerClient;
import java.time.Duration;
import java.time.Instant;
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
import rrunner.common.queue.JobQueue;
import rrunner.common.testing.RedisTestContainer;
import rrunner.worker.testing.JobContainers.Life;
import rrunner.worker.testing.JobContainers;
import rrunner.worker.testing.WorkerJobContainers;

/**
 * The whole worker on a real Redis that stops answering (its container paused) for longer than a lease while a
 * job runs: the worker must kill the job's container before the lease can expire, so that the attempt the rescuer
 * starts once Redis is back never runs beside the first.
 */
// why dirties: the app's claim loop would keep polling the stopped Redis until the JVM exits
@DirtiesContext
@Testcontainers
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "rrunner.queue.key-prefix=lease-fence-it",
        "rrunner.worker.concurrency=1",
        "rrunner.worker.rescue-interval=1s",
        "rrunner.queue.retry-initial-backoff=100ms",
        "rrunner.queue.lease=3s",
        "rrunner.queue.lease-renew-interval=1s",
        // why no pool: only containers created for a job carry its label, which JobContainers reads
        "rrunner.pool.size=0"})
class LeaseFenceIT {

    private static final Duration LEASE = Duration.ofSeconds(3);

    @Container
    @ServiceConnection(name = "redis")
    static final GenericContainer<?> REDIS = RedisTestContainer.create();

    @Autowired
    JobQueue queue;

    @Autowired
    DockerClient docker;

    @RegisterExtension
    final WorkerJobContainers jobContainers = new WorkerJobContainers();

    @Test
    void aJobWhoseLeaseCannotBeRenewedIsKilledBeforeTheLeaseExpiresAndRunsAgainOnceRedisIsBack() {
        JobRecord job = queue.enqueue(aSpec("cat('go\\n'); Sys.sleep(8); cat('done')")).block();
        await().atMost(Duration.ofSeconds(60)).until(() -> queue.events(job.id(), null)
                .any(e -> e.type() == JobEventType.STDOUT).block());

        docker.pauseContainerCmd(REDIS.getContainerId()).exec();
        Instant paused = Instant.now();
        Instant resumed;
        try {
            // why a lease from the pause: the last renewal Redis granted was before it, so the lease ends sooner
            await().atMost(LEASE).until(() -> JobContainers.running(docker, job.id()).isEmpty());
            // why wait on: the outage must outlast the lease, or no other attempt could ever have had the job
            await().pollDelay(Duration.between(Instant.now(), paused.plus(LEASE).plusSeconds(1)))
                    .until(() -> true);
        } finally {
            docker.unpauseContainerCmd(REDIS.getContainerId()).exec();
            resumed = Instant.now();
        }

        JobRecord done = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> queue.find(job.id()).block(), record -> record.state().isTerminal());
        assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(done.result().stdout()).isEqualTo("go\ndone");
        assertThat(done.attempt()).isEqualTo(2);
        assertThat(done.errors()).singleElement().satisfies(e -> assertThat(e.message()).contains("lease expired"));
        List<JobEventType> events = queue.events(job.id(), null).map(JobEvent::type).collectList().block();
        assertThat(events).filteredOn(type -> type == JobEventType.STARTED).hasSize(done.attempt());
        assertThat(events).filteredOn(type -> type == JobEventType.FINISHED).hasSize(1);
        // why await: the last container's events may still be on their way
        List<Life> containers = await().atMost(Duration.ofSeconds(10))
                .until(() -> jobContainers.recorded().of(job.id()), lives -> lives.size() == 2);
        assertThat(containers).as("one container per attempt").hasSize(2);
        assertThat(containers.get(0).died()).as("the first attempt's container died while Redis was away")
                .isNotNull().isBefore(resumed).isBefore(containers.get(1).started());
    }
}
