package rrunner.worker.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import rrunner.common.job.Artifact;
import rrunner.common.job.JobId;
import rrunner.common.job.RunResult;
import rrunner.worker.testing.TestOwner;

/**
 * When and how artifacts are read: only while nothing of the script can run (the container is frozen), and
 * without the worker ever writing into the sandbox. Each test watches the container at the moment the workspace is read, for long enough that a
 * leftover process would have written the file it was waiting to write.
 */
class ArtifactCollectionIT extends SandboxAttackSupport {

    /** Writes {@code late.txt} 1.5 s after it starts, unless it is stopped first. */
    private static final String SCRIPT_WITH_A_LATE_WRITER = """
            writeLines('early', 'early.txt')
            system("nohup sh -c 'sleep 1.5; echo late > late.txt' >/dev/null 2>&1 &")
            system("nohup sleep 300 >/dev/null 2>&1 &")
            cat('done')
            """;
    private static final Duration WATCH = Duration.ofSeconds(2);
    /** The keeper as {@code ps} shows it. */
    private static final String KEEPER = String.join(" ", ContainerFactory.KEEPER);

    private final DockerCalls calls = DockerCalls.around(docker);
    private final List<List<String>> processesAtRead = new CopyOnWriteArrayList<>();

    @Test
    void readsTheWorkspaceOnlyWhileTheContainerIsFrozenAndThawsItBeforeRemoval() {
        AtomicBoolean pausedAtRead = new AtomicBoolean();
        calls.before(DockerCalls.ARCHIVE_READ, args -> {
            pausedAtRead.set(docker.inspectContainerCmd((String) args[0]).exec().getState().getPaused());
            watch((String) args[0]);
        });

        RunResult result = runThroughCalls();

        assertThat(result.stdout()).isEqualTo("done");
        assertThat(pausedAtRead).isTrue();
        assertThat(processesAtRead).isNotEmpty().allSatisfy(commands ->
                assertThat(commands).contains(KEEPER, "sleep 300"));
        assertThat(result.artifacts()).extracting(Artifact::filename).containsExactly("early.txt");
        // why the stats: the workspace's stat before and after the script shows it changed, so it is read
        assertThat(calls.sequence()).containsExactly("createContainerCmd", "startContainerCmd",
                DockerCalls.ARCHIVE_STAT, "execCreateCmd", "execStartCmd", "inspectExecCmd", DockerCalls.ARCHIVE_STAT,
                "pauseContainerCmd", DockerCalls.ARCHIVE_READ, "unpauseContainerCmd", "removeContainerCmd");
    }

    @Test
    void aCancelThatArrivesWhileTheWorkspaceIsReadEndsTheRunCancelledWithoutItsFiles() {
        ContainerRunner runner = new ContainerRunner(calls.client(), calls.transport(), SMALL,
                ENVIRONMENTS, TestOwner.of(workerId), meters, WarmSandboxes.NONE);
        JobId jobId = JobId.random();
        calls.before(DockerCalls.ARCHIVE_READ, args -> runner.cancel(jobId));

        SandboxOutcome outcome = runner.run(jobId, spec(SCRIPT_WITH_A_LATE_WRITER, 30), OutputListener.IGNORE);

        assertThat(outcome.ending()).isEqualTo(SandboxOutcome.Ending.CANCELLED);
        assertThat(outcome.result().artifacts()).isEmpty();
        assertThat(outcome.result().stdout()).isEqualTo("done");
    }

    private RunResult runThroughCalls() {
        return new ContainerRunner(calls.client(), calls.transport(), SMALL, ENVIRONMENTS, TestOwner.of(workerId),
                meters, WarmSandboxes.NONE)
                .run(JobId.random(), spec(SCRIPT_WITH_A_LATE_WRITER, 30), OutputListener.IGNORE).result();
    }

    /** Holds the read back for {@link #WATCH}, noting what runs in the container meanwhile. */
    private void watch(String containerId) {
        await().during(WATCH).atMost(WATCH.plusSeconds(5)).pollInterval(Duration.ofMillis(200)).until(() -> {
            processesAtRead.add(commandsIn(containerId));
            return true;
        });
    }

    private List<String> commandsIn(String containerId) {
        String[][] processes = docker.topContainerCmd(containerId).exec().getProcesses();
        return Arrays.stream(processes).map(row -> row[row.length - 1]).toList();
    }
}
