package rrunner.worker.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import rrunner.common.job.Artifact;
import rrunner.common.job.RunResult;
import rrunner.worker.sandbox.SandboxOutcome.Ending;
import rrunner.worker.testing.SandboxLeakCheck;

/** Scripts that try to exhaust what the sandbox hands out: processes, memory, CPU time, output, disk. */
class AdversarialResourcesIT extends SandboxAttackSupport {

    private static final long CAP = SMALL.maxOutputBytes().toBytes();

    @Test
    void aForkLoopStopsAtThePidsLimitAndWhatItLeftDoesNotHoldTheRun() {
        long start = System.nanoTime();

        RunResult result = completed("""
                system('for i in $(seq 1 200); do sleep 60 >/dev/null 2>&1 & done')
                cat('survived')
                """);

        assertThat(result.stderr()).containsAnyOf("Cannot fork", "Resource temporarily unavailable");
        assertThat(result.stdout()).isEqualTo("survived");
        assertThat(since(start)).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void aForkLoopStillRunningAfterTheScriptDoesNotStopItsFilesFromBeingRead() {
        long start = System.nanoTime();

        RunResult result = completed("""
                writeLines('kept', 'before.txt')
                system("sh -c 'while :; do sleep 60 & done' >/dev/null 2>&1 &")
                Sys.sleep(1)
                cat('done')
                """);

        assertThat(result.exitCode()).isZero();
        assertThat(result.artifacts()).extracting(Artifact::filename).containsExactly("before.txt");
        assertThat(since(start)).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void backgroundCommandsThatEndedDoNotUseUpThePidsLimit() {
        RunResult result = completed("""
                started <- 0
                for (i in 1:150) if (system('true &') == 0) started <- started + 1
                cat('started', started)
                """);

        assertThat(result.stdout()).isEqualTo("started 150");
        assertThat(result.stderr()).doesNotContain("Cannot fork");
    }

    @Test
    void aGrowingAllocationEndsAtTheMemoryLimitWithoutTakingTheContainerDown() {
        RunResult result = completed("""
                writeLines('kept', 'before.txt')
                x <- list()
                repeat x[[length(x) + 1]] <- runif(1e6)
                """);

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.artifacts()).extracting(Artifact::filename).containsExactly("before.txt");
    }

    @Test
    void aBusyLoopIsKilledAtTheTimeout() {
        long start = System.nanoTime();

        SandboxOutcome outcome = attack("cat('spinning\\n'); repeat {}", 2);

        assertThat(outcome.ending()).isEqualTo(Ending.TIMED_OUT);
        assertThat(outcome.result().exitCode()).isEqualTo(ContainerRunner.KILLED_EXIT_CODE);
        assertThat(outcome.result().artifacts()).isEmpty();
        assertThat(since(start)).isLessThan(Duration.ofSeconds(10));
        assertThat(SandboxLeakCheck.containersOf(docker, workerId)).isEmpty();
    }

    @Test
    void aStdoutFloodIsCutAtTheCapWithAMarker() {
        long start = System.nanoTime();

        RunResult result = completed("for (i in 1:300) cat(strrep('x', 1e5))");

        assertThat(result.stdout()).isEqualTo("x".repeat((int) CAP)
                + "\n[output truncated: " + (30_000_000 - CAP) + " more bytes]\n");
        assertThat(since(start)).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void aStderrFloodIsCutAtTheCapWithAMarker() {
        long start = System.nanoTime();

        RunResult result = completed("for (i in 1:300) message(strrep('y', 1e5))");

        assertThat(result.stderr()).startsWith("yyyy")
                .endsWith("\n[output truncated: " + (300 * 100_001 - CAP) + " more bytes]\n")
                .hasSizeLessThan((int) CAP + 100);
        assertThat(result.stdout()).isEmpty();
        assertThat(since(start)).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void anEndlessFloodIsCutAndKilledAtTheTimeout() {
        SandboxOutcome outcome = attack("repeat cat(strrep('z', 1e5))", 3);

        assertThat(outcome.ending()).isEqualTo(Ending.TIMED_OUT);
        assertThat(outcome.result().stdout()).startsWith("zzzz").contains("[output truncated: ")
                .hasSizeLessThan((int) CAP + 100);
    }

    @Test
    void fillingTheWorkspaceFailsWithNoSpaceAndTheHugeFileIsNotReturned() {
        RunResult result = completed("""
                writeLines('small', 'small.txt')
                cat(system('head -c 100000000 /dev/zero 2>&1 > fill.bin; echo status=$?', intern = TRUE), sep = '\\n')
                cat('size', file.size('fill.bin'), '\\n')
                """);

        assertThat(result.stdout()).contains("No space left on device").contains("status=1");
        assertThat(sizeReported(result)).isPositive().isLessThanOrEqualTo(SMALL.workspaceSize().toBytes());
        assertThat(result.artifacts()).extracting(Artifact::filename).containsExactly("small.txt");
        assertThat(skipped(SkippedEntry.OVERSIZE)).isEqualTo(1);
    }

    @Test
    void fillingTmpFailsWithNoSpace() {
        RunResult result = completed("""
                cat(system('head -c 100000000 /dev/zero 2>&1 > /tmp/fill.bin; echo status=$?', intern = TRUE),
                    sep = '\\n')
                cat('size', file.size('/tmp/fill.bin'), '\\n')
                """);

        assertThat(result.stdout()).contains("No space left on device").contains("status=1");
        assertThat(sizeReported(result)).isPositive().isLessThanOrEqualTo(SMALL.tmpSize().toBytes());
        assertThat(result.artifacts()).isEmpty();
    }

    @Test
    void writesFromRItselfFailOnceTheWorkspaceIsFull() {
        RunResult result = completed("""
                r <- tryCatch({ writeBin(raw(2e7), 'r.bin'); 'written' },
                              warning = function(w) conditionMessage(w), error = function(e) conditionMessage(e))
                cat(r, '\\n')
                cat('size', file.size('r.bin'), '\\n')
                """);

        assertThat(result.stdout()).doesNotStartWith("written");
        assertThat(sizeReported(result)).isLessThanOrEqualTo(SMALL.workspaceSize().toBytes());
    }

    private static long sizeReported(RunResult result) {
        String line = result.stdout().lines().filter(l -> l.startsWith("size ")).findFirst().orElseThrow();
        return Long.parseLong(line.substring("size ".length()).strip());
    }
}
