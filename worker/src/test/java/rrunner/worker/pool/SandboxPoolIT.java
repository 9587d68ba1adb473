package rrunner.worker.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import rrunner.common.job.JobId;
import rrunner.common.job.JobSpec;
import rrunner.worker.sandbox.ContainerRunner;
import rrunner.worker.sandbox.OutputListener;
import rrunner.worker.sandbox.SandboxLabels;
import rrunner.worker.sandbox.SandboxOutcome.Ending;
import rrunner.worker.sandbox.SandboxOutcome;
import rrunner.worker.sandbox.SandboxPreparer;
import rrunner.worker.sandbox.SandboxProperties;
import rrunner.worker.sandbox.SandboxTarget;
import rrunner.worker.sandbox.WarmSandbox;
import rrunner.worker.testing.DockerSandboxes;
import rrunner.worker.testing.SandboxLeakCheck;
import rrunner.worker.testing.TestOwner;
import rrunner.worker.testing.WorkerSettings;

/** What the pool promises beyond the sandbox contract: single use, retirement, cold fallback, clean shutdown. */
class SandboxPoolIT {

    private static final SandboxProperties SETTINGS = WorkerSettings.sandbox();
    private static final Duration READY_WAIT = Duration.ofSeconds(60);
    /** A job of the default environment with its default limits, content with whichever image is current. */
    private static final SandboxTarget ANY_IMAGE = SandboxTarget.of(WorkerSettings.defaultEnvironment(),
            spec("cat(1)"), null);

    @RegisterExtension
    static final DockerSandboxes SANDBOXES = DockerSandboxes.withConnections(32);

    private final DockerClient docker = SANDBOXES.client();
    private final String workerId = SANDBOXES.workerId("pool");
    private final List<SandboxPool> pools = new ArrayList<>();
    private final MeterRegistry meters = new SimpleMeterRegistry();

    @AfterEach
    void closesThePools() {
        pools.forEach(SandboxPool::close);
    }

    @Test
    void neverGivesASandboxToASecondJob() {
        SandboxPool pool = started(pool(SETTINGS, new PoolProperties(2, 2, Duration.ofMinutes(5))), 2);
        ContainerRunner runner = runner(SETTINGS, pool);

        SandboxOutcome first = runner.run(JobId.random(),
                spec("x <- 1; writeLines('a', 'first.txt'); cat(Sys.getenv('HOSTNAME'))"), OutputListener.IGNORE);
        awaitReady(pool, 2);
        SandboxOutcome second = runner.run(JobId.random(),
                spec("cat(file.exists('first.txt'), exists('x'), Sys.getenv('HOSTNAME'))"), OutputListener.IGNORE);

        assertThat(first.warm()).isTrue();
        assertThat(second.warm()).isTrue();
        String firstHost = first.result().stdout();
        assertThat(firstHost).matches("[0-9a-f]{12}");
        assertThat(second.result().stdout()).matches("FALSE FALSE [0-9a-f]{12}")
                .doesNotContain(firstHost);
    }

    @Test
    void removesItsSandboxesOnClose() {
        SandboxPool pool = started(pool(SETTINGS, new PoolProperties(2, 2, Duration.ofMinutes(5))), 2);
        assertThat(SandboxLeakCheck.containersOf(docker, workerId)).hasSize(2).allSatisfy(container -> {
            assertThat(container.getLabels()).containsEntry(SandboxLabels.ROLE, SandboxLabels.ROLE_POOL)
                    .containsEntry(SandboxLabels.WORKER, workerId)
                    .doesNotContainKey(SandboxLabels.JOB);
            assertThat(container.getState()).isEqualTo("running");
        });

        pool.close();

        SandboxLeakCheck.assertNothingLeft(docker, workerId);
        assertThat(pool.take(JobId.random(), ANY_IMAGE)).isEmpty();
    }

    @Test
    void handsOutASandboxOnlyOnceItsRHasLoadedAndWaitsForTheScript() {
        started(pool(SETTINGS, new PoolProperties(1, 1, Duration.ofMinutes(5))), 1);

        List<String[]> processes = List.of(docker.topContainerCmd(poolContainerIds().get(0))
                .withPsArgs("-o pid,stat,wchan:32,args").exec().getProcesses());

        assertThat(processes).anySatisfy(row -> {
            assertThat(row[3]).contains("exec/R ").contains("--file=/dev/fd/3");
            assertThat(row[1]).startsWith("S");
            assertThat(row[2]).contains("pipe");
        });
    }

    @Test
    void aJobFindingThePoolEmptyStartsColdWithoutWaitingForTheRefill() {
        SandboxPool pool = started(pool(SETTINGS, new PoolProperties(1, 1, Duration.ofMinutes(5))), 1);
        WarmSandbox heldByAnotherJob = pool.take(JobId.random(), ANY_IMAGE).orElseThrow();
        try {
            SandboxOutcome outcome = runner(SETTINGS, pool).run(JobId.random(), spec("cat('cold')"),
                    OutputListener.IGNORE);

            assertThat(outcome.warm()).isFalse();
            assertThat(outcome.ending()).isEqualTo(Ending.COMPLETED);
            assertThat(outcome.result().stdout()).isEqualTo("cold");
            assertThat(takes("cold")).isEqualTo(1);
        } finally {
            new SandboxPreparer(docker, SETTINGS, TestOwner.of(workerId)).destroy(heldByAnotherJob);
        }
    }

    @Test
    void refillsSandboxesTakenInQuickSuccessionSideBySideButNeverBeyondItsSize() {
        assertThat(Runtime.getRuntime().availableProcessors()).as("a preparing thread per core needs two").isGreaterThan(1);
        SandboxPool pool = started(pool(SETTINGS, new PoolProperties(2, 2, Duration.ofMinutes(5))), 2);
        WarmSandbox first = pool.take(JobId.random(), ANY_IMAGE).orElseThrow();
        WarmSandbox second = pool.take(JobId.random(), ANY_IMAGE).orElseThrow();
        try {
            // why 4 with none ready: both taken, and both replacements on their way at once; one thread preparing
            // one after another never has two on the way (read ready on both sides, so neither read is stale)
            await().atMost(READY_WAIT).pollInterval(Duration.ofMillis(10)).until(() -> pool.readyCount() == 0
                    && poolContainerIds().size() == 4 && pool.readyCount() == 0);
            awaitReady(pool, 2);

            assertThat(poolContainerIds()).hasSize(4);
        } finally {
            SandboxPreparer preparer = new SandboxPreparer(docker, SETTINGS, TestOwner.of(workerId));
            preparer.destroy(first);
            preparer.destroy(second);
        }
    }

    @Test
    void aPoolThatIsOffOrNotStartedLeavesEveryJobCold() {
        SandboxPool off = pool(SETTINGS, new PoolProperties(0, 0, Duration.ofMinutes(5)));
        off.start();
        SandboxPool notStarted = pool(SETTINGS, new PoolProperties(1, 1, Duration.ofMinutes(5)));

        for (SandboxPool pool : List.of(off, notStarted)) {
            SandboxOutcome outcome = runner(SETTINGS, pool).run(JobId.random(), spec("cat(1)"), OutputListener.IGNORE);
            assertThat(outcome.warm()).isFalse();
            assertThat(outcome.result().stdout()).isEqualTo("1");
        }
        assertThat(SandboxLeakCheck.containersOf(docker, workerId)).isEmpty();
    }

    @Test
    void countsTheTimeoutFromTheScriptNotFromThePreparation() {
        SandboxPool pool = started(pool(SETTINGS, new PoolProperties(1, 1, Duration.ofMinutes(5))), 1);
        await().pollDelay(Duration.ofSeconds(3)).until(() -> true);

        SandboxOutcome outcome = runner(SETTINGS, pool).run(JobId.random(),
                new JobSpec("Sys.sleep(1); cat('in time')", 2, 10, 5_000_000), OutputListener.IGNORE);

        assertThat(outcome.warm()).isTrue();
        assertThat(outcome.ending()).isEqualTo(Ending.COMPLETED);
        assertThat(outcome.result().stdout()).isEqualTo("in time");
    }

    @Test
    void namesATakenSandboxForItsJobSoTheReaperKnowsWhichJobItRuns() {
        SandboxPool pool = started(pool(SETTINGS, new PoolProperties(1, 1, Duration.ofMinutes(5))), 1);
        JobId jobId = JobId.random();
        CompletableFuture<SandboxOutcome> run = CompletableFuture.supplyAsync(() -> runner(SETTINGS, pool)
                .run(jobId, spec("Sys.sleep(3); cat('done')"), OutputListener.IGNORE));

        await().atMost(Duration.ofSeconds(20)).until(() -> SandboxLeakCheck.containersOf(docker, workerId).stream()
                .anyMatch(c -> SandboxLabels.jobOf(c.getLabels(), List.of(c.getNames())).equals(Optional.of(jobId))));

        SandboxOutcome outcome = run.orTimeout(30, TimeUnit.SECONDS).join();
        assertThat(outcome.warm()).isTrue();
        assertThat(outcome.result().stdout()).isEqualTo("done");
    }

    @Test
    void discardsASandboxWhoseContainerDiedWhileItWaited() {
        SandboxPool pool = started(pool(SETTINGS, new PoolProperties(1, 1, Duration.ofMinutes(5))), 1);
        String dead = poolContainerIds().get(0);
        docker.killContainerCmd(dead).exec();
        await().atMost(Duration.ofSeconds(10)).until(() -> !docker.inspectContainerCmd(dead).exec().getState()
                .getRunning());

        SandboxOutcome outcome = runner(SETTINGS, pool).run(JobId.random(), spec("cat('fine')"),
                OutputListener.IGNORE);

        assertThat(outcome.result().stdout()).isEqualTo("fine");
        assertThat(outcome.warm()).isFalse();
        assertThat(meters.get("rrunner.sandbox.pool.retired").tag("reason", "dead").counter().count()).isOne();
        await().atMost(READY_WAIT).until(() -> pool.readyCount() == 1 && !poolContainerIds().contains(dead));
    }

    @Test
    void replacesSandboxesOlderThanTheMaximumIdleAge() {
        SandboxPool pool = started(pool(SETTINGS, new PoolProperties(1, 1, Duration.ofSeconds(3))), 1);
        List<String> first = poolContainerIds();

        await().atMost(READY_WAIT).until(() -> pool.readyCount() == 1
                && poolContainerIds().stream().noneMatch(first::contains));

        assertThat(meters.get("rrunner.sandbox.pool.retired").tag("reason", "idle").counter().count())
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    void runsConcurrentJobsWarmOrColdButEachInItsOwnSandbox() {
        SandboxPool pool = started(pool(SETTINGS, new PoolProperties(2, 2, Duration.ofMinutes(5))), 2);
        ContainerRunner runner = runner(SETTINGS, pool);

        List<SandboxOutcome> outcomes = IntStream.range(0, 4)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> runner.run(JobId.random(),
                        spec("cat(" + i + ", Sys.getenv('HOSTNAME'))"), OutputListener.IGNORE)))
                .toList().stream().map(run -> run.orTimeout(60, TimeUnit.SECONDS).join()).toList();

        assertThat(outcomes).extracting(o -> o.result().stdout().split(" ")[0])
                .containsExactly("0", "1", "2", "3");
        assertThat(outcomes).extracting(o -> o.result().stdout().split(" ")[1]).doesNotHaveDuplicates();
        assertThat(outcomes).filteredOn(SandboxOutcome::warm).hasSizeGreaterThanOrEqualTo(1);
    }

    SandboxPool pool(SandboxProperties settings, PoolProperties poolSettings) {
        SandboxPool pool = new SandboxPool(new SandboxPreparer(docker, settings, TestOwner.of(workerId)),
                WorkerSettings.defaultEnvironment(), poolSettings, 2, meters);
        pools.add(pool);
        return pool;
    }

    static SandboxPool started(SandboxPool pool, int ready) {
        pool.start();
        awaitReady(pool, ready);
        return pool;
    }

    static void awaitReady(SandboxPool pool, int ready) {
        await().atMost(READY_WAIT).until(() -> pool.readyCount() == ready);
    }

    ContainerRunner runner(SandboxProperties settings, SandboxPool pool) {
        return new ContainerRunner(docker, settings, WorkerSettings.environments(), TestOwner.of(workerId), meters,
                pool);
    }

    List<String> poolContainerIds() {
        return SandboxLeakCheck.containersOf(docker, workerId).stream()
                .filter(c -> SandboxLabels.ROLE_POOL.equals(c.getLabels().get(SandboxLabels.ROLE)))
                .map(Container::getId).toList();
    }

    double takes(String outcome) {
        return meters.get("rrunner.sandbox.pool.takes").tag("outcome", outcome).counter().count();
    }

    static JobSpec spec(String script) {
        return new JobSpec(script, 30, 10, 5_000_000);
    }
}
