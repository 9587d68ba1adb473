package rrunner.worker.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.annotation.DirtiesContext;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import rrunner.common.event.JobEvent;
import rrunner.common.event.JobEventType;
import rrunner.common.job.JobRecord;
import rrunner.common.job.JobSpec;
import rrunner.common.job.JobState;
import rrunner.common.queue.JobQueue;
import rrunner.common.testing.RedisTestContainer;
import rrunner.worker.testing.JobContainers.Life;
import rrunner.worker.testing.WorkerJobContainers;

/**
 * The whole worker, with one job's thread stuck in a Docker call after its script ended (the call is held back until
 * the test lets it go): past the script's time limit plus the overrun grace the worker kills the container and stops
 * renewing the lease, so the rescuer gives the job to another slot instead of the stuck one holding it forever.
 */
// why dirties: the app's claim loop would keep polling the stopped Redis until the JVM exits
@DirtiesContext
@Testcontainers
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "rrunner.queue.key-prefix=lease-overrun-it",
        "rrunner.worker.concurrency=2",
        "rrunner.worker.rescue-interval=1s",
        "rrunner.worker.overrun-grace=2s",
        "rrunner.queue.retry-initial-backoff=100ms",
        "rrunner.queue.lease=3s",
        "rrunner.queue.lease-renew-interval=1s",
        // why no pool: only containers created for a job carry its label, which JobContainers reads
        "rrunner.pool.size=0"})
class LeaseOverrunIT {

    private static final AtomicBoolean STALL_NEXT_EXIT_CODE_READ = new AtomicBoolean();
    private static final CountDownLatch RELEASE = new CountDownLatch(1);

    @Container
    @ServiceConnection(name = "redis")
    static final GenericContainer<?> REDIS = RedisTestContainer.create();

    @Autowired
    JobQueue queue;

    /** Holds back the first exit-code read of a job's thread once armed: a Docker call that never answers. */
    @TestConfiguration
    static class StallingDocker {

        @Bean(destroyMethod = "")
        @Primary
        DockerClient stallingDockerClient(@Qualifier("dockerClient") DockerClient real) {
            return (DockerClient) Proxy.newProxyInstance(DockerClient.class.getClassLoader(),
                    new Class<?>[] {DockerClient.class}, (proxy, method, args) -> {
                        if (method.getName().equals("inspectExecCmd")
                                && Thread.currentThread().getName().startsWith("job-")
                                && STALL_NEXT_EXIT_CODE_READ.compareAndSet(true, false)) {
                            RELEASE.await(2, TimeUnit.MINUTES);
                        }
                        try {
                            return method.invoke(real, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }
    }

    @RegisterExtension
    final WorkerJobContainers jobContainers = new WorkerJobContainers();

    @AfterEach
    void releasesTheStuckCall() {
        RELEASE.countDown();
    }

    @Test
    void aRunStuckInADockerCallPastItsTimeLimitIsGivenUpAndRunAgain() {
        STALL_NEXT_EXIT_CODE_READ.set(true);

        // why 5 s: a limit R can't miss on a busy machine, or the run ends timed out before the stuck call
        JobRecord job = queue.enqueue(new JobSpec("cat('once')", 5, 10, 5_000_000)).block();

        JobRecord done = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> queue.find(job.id()).block(), record -> record.state().isTerminal());
        assertThat(STALL_NEXT_EXIT_CODE_READ).as("the first run got stuck").isFalse();
        assertThat(RELEASE.getCount()).as("and still is").isOne();
        assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(done.result().stdout()).isEqualTo("once");
        assertThat(done.attempt()).isEqualTo(2);
        assertThat(done.errors()).singleElement().satisfies(e -> assertThat(e.message()).contains("lease expired"));
        List<JobEventType> events = queue.events(job.id(), null).map(JobEvent::type).collectList().block();
        assertThat(events).filteredOn(type -> type == JobEventType.STARTED).hasSize(2);
        assertThat(events).filteredOn(type -> type == JobEventType.FINISHED).hasSize(1);
        // why await: the last container's events may still be on their way
        List<Life> containers = await().atMost(Duration.ofSeconds(10))
                .until(() -> jobContainers.recorded().of(job.id()), lives -> lives.size() == 2);
        assertThat(containers).as("one container per attempt").hasSize(2);
        assertThat(containers.get(0).died()).as("the stuck attempt's container was killed before the next started")
                .isNotNull().isBefore(containers.get(1).started());
    }
}
