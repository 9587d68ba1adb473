package rrunner.worker.reaper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static rrunner.common.testing.Jobs.aTrivialSpec;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import rrunner.common.job.JobId;
import rrunner.common.job.JobRecord;
import rrunner.common.job.JobState;
import rrunner.common.queue.ClaimedJob;
import rrunner.common.queue.JobQueue;
import rrunner.common.queue.RedisKeys;
import rrunner.common.queue.WorkerRegistry.Heartbeat;
import rrunner.common.queue.WorkerRegistry;
import rrunner.common.testing.Jobs;
import rrunner.common.testing.RedisClientExtension;
import rrunner.common.testing.RedisTestContainer;
import rrunner.common.testing.SharedSettings;
import rrunner.worker.sandbox.ContainerFactory;
import rrunner.worker.sandbox.SandboxLabels;
import rrunner.worker.sandbox.SandboxOwner;
import rrunner.worker.testing.DockerSandboxes;
import rrunner.worker.testing.TestOwner;
import rrunner.worker.testing.WorkerSettings;

/**
 * The reaper against real sandbox containers and a real Redis. Each test's reaper is scoped to the test's own
 * worker label: every other sandbox on this engine is unknown to this Redis and would look orphaned.
 */
@Testcontainers
class ContainerReaperIT {

    @Container
    static final GenericContainer<?> REDIS = RedisTestContainer.create();
    @RegisterExtension
    static final RedisClientExtension REDIS_CLIENT = RedisClientExtension.emptyingBeforeEach(REDIS);

    @RegisterExtension
    static final DockerSandboxes SANDBOXES = DockerSandboxes.withConnections(16);

    private static final String OTHER_WORKER = "reaper-it-other";
    private static final Duration DEFAULT_WORKER_MAX_AGE = WorkerRegistry.maxAge(Duration.ofSeconds(5));
    /** Long enough that a heartbeat just before a sweep still counts on a loaded machine. */
    private static final Duration SHORT_WORKER_MAX_AGE = Duration.ofSeconds(2);

    private static JobQueue queue;
    private static WorkerRegistry registry;

    private final DockerClient docker = SANDBOXES.client();
    private final String workerId = SANDBOXES.workerId("reaper-it");
    private final ContainerFactory containers = new ContainerFactory(docker, WorkerSettings.sandbox());
    private final List<String> createdContainers = new ArrayList<>();
    private final List<String> createdVolumes = new ArrayList<>();

    @BeforeAll
    static void newQueueAndRegistry() {
        queue = new JobQueue(new RedisKeys("reaper-it"), SharedSettings.queuePolicy(), REDIS_CLIENT.reactive());
        registry = new WorkerRegistry(new RedisKeys("reaper-it"), REDIS_CLIENT.reactive());
    }

    @AfterEach
    void removeWhatTheTestMade() {
        createdContainers.forEach(containers::remove);
        createdVolumes.forEach(name -> {
            try {
                docker.removeVolumeCmd(name).exec();
            } catch (NotFoundException alreadyGone) {
                // the reaper took it, as the test expected
            }
        });
    }

    @Test
    void removesTheContainerOfAFinishedJob() {
        ClaimedJob job = claimedBy(workerId);
        queue.finish(job, JobState.SUCCEEDED, Jobs.aSuccessfulResult("1")).block();
        String container = sandboxFor(job.id());

        assertThat(reaper().reap()).isEqualTo(new ContainerReaper.Reaped(1, 0));

        assertThat(exists(container)).isFalse();
    }

    @Test
    void removesTheContainerOfAJobRedisDoesNotKnow() {
        String container = sandboxFor(JobId.random());

        assertThat(reaper().reap().containers()).isEqualTo(1);

        assertThat(exists(container)).isFalse();
    }

    @Test
    void keepsTheContainerOfAJobRunningUnderItsOwnWorkersLease() {
        ClaimedJob job = claimedBy(workerId);
        String container = sandboxFor(job.id());

        assertThat(reaper().reap()).isEqualTo(new ContainerReaper.Reaped(0, 0));

        assertThat(exists(container)).isTrue();
        assertThat(queue.find(job.id()).block()).extracting(JobRecord::state).isEqualTo(JobState.RUNNING);
    }

    @Test
    void removesTheContainerOfAJobNowRunningUnderAnotherWorker() {
        ClaimedJob job = claimedBy(OTHER_WORKER);
        String container = sandboxFor(job.id());

        assertThat(reaper().reap().containers()).isEqualTo(1);

        assertThat(exists(container)).isFalse();
    }

    @Test
    void removesAJoblessContainerOnlyOnceItIsOlderThanTheMaxAge() {
        String container = started(SandboxLabels.forInventory(TestOwner.of(workerId), Instant.now()));

        assertThat(reaper().reap().containers()).as("young").isZero();
        assertThat(exists(container)).isTrue();

        assertThat(reaperWithMaxAge(Duration.ZERO).reap().containers()).as("past the max age").isEqualTo(1);
        assertThat(exists(container)).isFalse();
    }

    @Test
    void removesAJoblessContainerOfAWorkerThatStoppedBeating() {
        String container = started(SandboxLabels.forPool(TestOwner.of(workerId), Instant.now()));
        beat(OTHER_WORKER);
        awaitOlderThan(container, SHORT_WORKER_MAX_AGE);

        assertThat(reaper(ContainerReaper.DEFAULT_JOBLESS_MAX_AGE, SHORT_WORKER_MAX_AGE).reap().containers())
                .isEqualTo(1);

        assertThat(exists(container)).isFalse();
    }

    @Test
    void keepsAJoblessContainerOfALiveWorker() {
        String container = started(SandboxLabels.forPool(TestOwner.of(workerId), Instant.now()));
        awaitOlderThan(container, SHORT_WORKER_MAX_AGE);
        beat(workerId);

        assertThat(reaper(ContainerReaper.DEFAULT_JOBLESS_MAX_AGE, SHORT_WORKER_MAX_AGE).reap().containers())
                .isZero();

        assertThat(exists(container)).isTrue();
    }

    @Test
    void keepsATakenPoolContainerWhileItsJobRunsUnderItsWorker() {
        ClaimedJob job = claimedBy(workerId);
        String container = takenPoolContainerFor(job.id());

        assertThat(reaper().reap().containers()).isZero();

        assertThat(exists(container)).isTrue();
    }

    @Test
    void removesATakenPoolContainerWhoseJobEnded() {
        ClaimedJob job = claimedBy(workerId);
        queue.finish(job, JobState.SUCCEEDED, Jobs.aSuccessfulResult("1")).block();
        String container = takenPoolContainerFor(job.id());

        assertThat(reaper().reap().containers()).isEqualTo(1);

        assertThat(exists(container)).isFalse();
    }

    @Test
    void removesAnIdlePoolContainerOnlyOnceItOutlivedThePoolsIdleAge() {
        String container = started(SandboxLabels.forPool(TestOwner.of(workerId), Instant.now()));

        assertThat(reaperWithMaxAge(ContainerReaper.joblessMaxAge(Duration.ofMinutes(5))).reap().containers())
                .as("young").isZero();
        assertThat(exists(container)).isTrue();

        assertThat(reaperWithMaxAge(Duration.ZERO).reap().containers()).as("past the age").isEqualTo(1);
        assertThat(exists(container)).isFalse();
    }

    @Test
    void keepsASessionContainerOfALiveWorkerPastTheJoblessAge() {
        String container = started(SandboxLabels.forSession("s-live", Instant.now().plus(Duration.ofHours(1)),
                TestOwner.of(workerId), Instant.now()));
        beat(workerId);

        assertThat(reaperWithMaxAge(Duration.ZERO).reap().containers()).isZero();

        assertThat(exists(container)).isTrue();
    }

    @Test
    void removesASessionContainerOnceItsHardEndPassedThoughItsWorkerLives() {
        String container = started(SandboxLabels.forSession("s-over", Instant.now().minusSeconds(1),
                TestOwner.of(workerId), Instant.now()));
        beat(workerId);

        assertThat(reaper().reap().containers()).isEqualTo(1);

        assertThat(exists(container)).isFalse();
    }

    @Test
    void neverTouchesAnotherDeploymentsContainers() {
        String container = started(SandboxLabels.forJob(JobId.random(), new SandboxOwner("elsewhere", workerId),
                Instant.now()));

        assertThat(reaperWithMaxAge(Duration.ZERO).reap().containers()).isZero();

        assertThat(exists(container)).isTrue();
    }

    @Test
    void removesADanglingLabelledVolume() {
        String volume = volume(Map.of(SandboxLabels.MANAGED, "true", SandboxLabels.DEPLOYMENT, TestOwner.DEPLOYMENT,
                SandboxLabels.WORKER, workerId));

        assertThat(reaper().reap()).isEqualTo(new ContainerReaper.Reaped(0, 1));

        assertThat(volumeExists(volume)).isFalse();
    }

    @Test
    void neverTouchesContainersOrVolumesWithoutTheManagedLabel() {
        String container = docker.createContainerCmd(WorkerSettings.defaultEnvironment().image())
                .withCmd("sleep", "infinity")
                .withLabels(Map.of(SandboxLabels.WORKER, workerId, SandboxLabels.JOB, JobId.random().value()))
                .exec().getId();
        createdContainers.add(container);
        String volume = volume(Map.of(SandboxLabels.WORKER, workerId));

        assertThat(reaperWithMaxAge(Duration.ZERO).reap()).isEqualTo(new ContainerReaper.Reaped(0, 0));

        assertThat(exists(container)).isTrue();
        assertThat(volumeExists(volume)).isTrue();
    }

    private ContainerReaper reaper() {
        return reaperWithMaxAge(ContainerReaper.DEFAULT_JOBLESS_MAX_AGE);
    }

    private ContainerReaper reaperWithMaxAge(Duration joblessMaxAge) {
        return reaper(joblessMaxAge, DEFAULT_WORKER_MAX_AGE);
    }

    private ContainerReaper reaper(Duration joblessMaxAge, Duration workerMaxAge) {
        Map<String, String> scope = new HashMap<>(SandboxOwner.deploymentScope(TestOwner.DEPLOYMENT));
        scope.put(SandboxLabels.WORKER, workerId);
        return new ContainerReaper(docker, queue, registry, workerMaxAge, joblessMaxAge, scope);
    }

    private static void beat(String worker) {
        registry.beat(new Heartbeat(worker, 1, 0, Instant.now(), "r", "test", Map.of(), 0, 0), Duration.ofMinutes(1)).block();
    }

    /** Waits on Docker's own creation time, which is what the reaper judges age by. */
    private void awaitOlderThan(String containerId, Duration age) {
        await().atMost(Duration.ofSeconds(30)).until(() -> Instant.parse(
                docker.inspectContainerCmd(containerId).exec().getCreated()).plus(age).isBefore(Instant.now()));
    }

    private static ClaimedJob claimedBy(String worker) {
        JobRecord queued = queue.enqueue(aTrivialSpec()).block();
        ClaimedJob claimed = queue.claim(worker).block();
        assertThat(claimed.id()).isEqualTo(queued.id());
        return claimed;
    }

    /** A started sandbox for the job, labelled as this test's worker made it, as the runner makes them. */
    private String sandboxFor(JobId jobId) {
        return started(SandboxLabels.forJob(jobId, TestOwner.of(workerId), Instant.now()));
    }

    /** A pool container (no job label) that a job took: named for the job, as the pool names it. */
    private String takenPoolContainerFor(JobId jobId) {
        String id = started(SandboxLabels.forPool(TestOwner.of(workerId), Instant.now()));
        assertThat(containers.rename(id, SandboxLabels.jobName(jobId, id))).isTrue();
        return id;
    }

    private String started(Map<String, String> labels) {
        String id = containers.create(labels, WorkerSettings.defaultEnvironment().image(),
                WorkerSettings.defaultEnvironment().defaults());
        createdContainers.add(id);
        containers.start(id);
        return id;
    }

    private String volume(Map<String, String> labels) {
        String name = docker.createVolumeCmd().withDriver("local").withLabels(labels).exec().getName();
        createdVolumes.add(name);
        return name;
    }

    private boolean exists(String containerId) {
        try {
            docker.inspectContainerCmd(containerId).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    private boolean volumeExists(String name) {
        try {
            docker.inspectVolumeCmd(name).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }
}
