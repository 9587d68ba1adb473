package rrunner.worker.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.command.InspectExecResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import rrunner.common.job.Artifact;
import rrunner.common.job.JobId;
import rrunner.common.job.RunResult;

/**
 * When and how artifacts are read: only once nothing of the script can run, and without the worker ever writing
 * into the sandbox. Each test watches the container at the moment the workspace is read, for long enough that a
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
    /** The keeper as {@code ps} shows it, and the sleep it restarts whenever the leftover kill ends it. */
    private static final String KEEPER = String.join(" ", ContainerFactory.KEEPER);
    private static final String KEEPER_SLEEP = "sleep 86400";

    private final DockerCalls calls = DockerCalls.around(docker);
    private final List<String> execIds = new CopyOnWriteArrayList<>();
    private final List<InspectExecResponse> execsAtRead = new CopyOnWriteArrayList<>();
    private final List<List<String>> processesAtRead = new CopyOnWriteArrayList<>();

    @Test
    void readsTheWorkspaceOnlyAfterTheScriptEndedAndItsLeftoversWereKilledAsTheSandboxUser() {
        calls.before("execStartCmd", args -> execIds.add((String) args[0]))
                .before("copyArchiveFromContainerCmd", args -> watch((String) args[0]));

        RunResult result = runThroughCalls();

        assertThat(result.stdout()).isEqualTo("done");
        assertThat(result.artifacts()).extracting(Artifact::filename).containsExactly("early.txt");
        assertThat(processesAtRead).isNotEmpty().allSatisfy(commands ->
                assertThat(commands).contains(KEEPER).isSubsetOf(KEEPER, KEEPER_SLEEP));
        assertThat(execsAtRead).hasSize(2).allSatisfy(exec -> {
            assertThat(exec.isRunning()).isFalse();
            assertThat(exec.getExitCodeLong()).isZero();
            assertThat(exec.getProcessConfig().getUser()).isEqualTo(SMALL.user());
        });
        assertThat(execsAtRead.get(1).getProcessConfig().getArguments())
                .containsExactly("-c", "kill -KILL -1 2>/dev/null; exit 0");
        assertThat(calls.sequence()).containsExactly("createContainerCmd", "startContainerCmd",
                "execCreateCmd", "execStartCmd", "inspectExecCmd",
                "execCreateCmd", "execStartCmd", "inspectExecCmd",
                "copyArchiveFromContainerCmd", "removeContainerCmd");
    }

    @Test
    void freezesTheContainerBeforeReadingWhenTheLeftoversCannotBeKilled() {
        AtomicInteger execs = new AtomicInteger();
        AtomicBoolean pausedAtRead = new AtomicBoolean();
        calls.before("execCreateCmd", args -> {
            if (execs.incrementAndGet() == 2) {
                throw new IllegalStateException("the test refuses the kill's exec");
            }
        }).before("copyArchiveFromContainerCmd", args -> {
            pausedAtRead.set(docker.inspectContainerCmd((String) args[0]).exec().getState().getPaused());
            watch((String) args[0]);
        });

        RunResult result = runThroughCalls();

        assertThat(pausedAtRead).isTrue();
        assertThat(processesAtRead).isNotEmpty().allSatisfy(commands ->
                assertThat(commands).contains(KEEPER, "sleep 300"));
        assertThat(result.artifacts()).extracting(Artifact::filename).containsExactly("early.txt");
        assertThat(calls.sequence()).containsSubsequence("pauseContainerCmd", "copyArchiveFromContainerCmd",
                "unpauseContainerCmd", "removeContainerCmd");
    }

    private RunResult runThroughCalls() {
        return new ContainerRunner(calls.client(), SMALL, TestOwner.of(workerId), meters)
                .run(JobId.random(), spec(SCRIPT_WITH_A_LATE_WRITER, 30), OutputListener.IGNORE).result();
    }

    /** Holds the read back for {@link #WATCH}, noting what runs in the container meanwhile. */
    private void watch(String containerId) {
        execIds.forEach(id -> execsAtRead.add(docker.inspectExecCmd(id).exec()));
        await().during(WATCH).atMost(WATCH.plusSeconds(5)).pollInterval(Duration.ofMillis(200)).until(() -> {
            processesAtRead.add(commandsIn(containerId));
            return true;
        });
    }

    private static List<String> commandsIn(String containerId) {
        String[][] processes = docker.topContainerCmd(containerId).exec().getProcesses();
        return Arrays.stream(processes).map(row -> row[row.length - 1]).toList();
    }
}
