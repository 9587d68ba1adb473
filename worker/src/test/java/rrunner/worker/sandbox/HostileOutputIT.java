package rrunner.worker.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;
import rrunner.common.job.Artifact;
import rrunner.common.job.JobId;
import rrunner.common.job.JobSpec;
import rrunner.common.job.RunResult;
import rrunner.common.job.SkippedArtifact;
import rrunner.common.json.JsonCodec;
import rrunner.worker.sandbox.SandboxOutcome.Ending;

/**
 * Scripts whose output is built to hold the worker: each must end within its timeout plus a few seconds with a
 * bounded result, and leave nothing behind (checked after each by {@link SandboxAttackSupport}, which also proves
 * the runner still works). The bound on time is the promise, not a speed target.
 */
class HostileOutputIT extends SandboxAttackSupport {

    private static final int TIMEOUT_SECONDS = 20;
    private static final Duration ANSWER_BOUND = Duration.ofSeconds(TIMEOUT_SECONDS + 10);

    private SandboxOutcome timedAttack(SandboxProperties settings, JobSpec spec) {
        long start = System.nanoTime();
        SandboxOutcome outcome = runner(settings).run(JobId.random(), spec, OutputListener.IGNORE);
        assertThat(since(start)).isLessThan(ANSWER_BOUND);
        assertThat(JsonCodec.encodedSize(outcome.result())).isLessThanOrEqualTo(spec.maxResultBytes());
        return outcome;
    }

    private SandboxOutcome timedAttack(String script) {
        return timedAttack(SMALL, spec(script, TIMEOUT_SECONDS));
    }

    @Test
    void aSparseFileOfAPetabyteCannotBeMadeAndTheRunAnswersAtOnce() {
        SandboxOutcome outcome = timedAttack("""
                writeLines('before', 'before.txt')
                con <- file('big.bin', 'wb'); seek(con, 1e15); writeBin(as.raw(1), con); close(con)
                """);

        assertThat(outcome.ending()).isEqualTo(Ending.COMPLETED);
        // 128 + SIGXFSZ: the write past the file size limit killed R
        assertThat(outcome.result().exitCode()).isEqualTo(153);
        assertThat(outcome.result().artifacts()).extracting(Artifact::filename).contains("before.txt");
    }

    @Test
    void sparseFilesWhoseApparentSizesPassTheReadBudgetStopCollectionUnread() {
        // each claims just under the file size limit while it occupies one block; together 5x the budget
        SandboxOutcome outcome = timedAttack("""
                for (i in 1:5) {
                  con <- file(sprintf('sparse%d.bin', i), 'wb'); seek(con, 8 * 1024^2 - 2)
                  writeBin(as.raw(1), con); close(con)
                }
                cat('made')
                """);

        assertThat(outcome.ending()).isEqualTo(Ending.COMPLETED);
        assertThat(outcome.result().stdout()).isEqualTo("made");
        assertThat(outcome.result().skippedArtifacts()).extracting(SkippedArtifact::reason)
                .contains(SkippedArtifact.Reason.UNREAD);
        assertThat(skipped(SkippedEntry.UNREAD)).isEqualTo(1);
        assertThat(outcome.collect()).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aFileStillGrowingFromALeftoverProcessEndsTheRunOnTime() {
        SandboxOutcome outcome = timedAttack("""
                system('sh -c "while :; do echo 0123456789 >> grow.txt; done" > /dev/null 2>&1 &')
                Sys.sleep(1)
                cat(file.exists('grow.txt'))
                """);

        assertThat(outcome.ending()).isEqualTo(Ending.COMPLETED);
        assertThat(outcome.result().stdout()).isEqualTo("TRUE");
        assertThat(outcome.collect()).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aHundredThousandEmptyFilesAreCountedListedInPartAndBounded() {
        SandboxOutcome outcome = timedAttack("""
                invisible(file.create(sprintf('f%06d', 1:1e5)))
                cat(length(list.files()))
                """);

        assertThat(outcome.ending()).isEqualTo(Ending.COMPLETED);
        assertThat(outcome.result().stdout()).isEqualTo("100000");
        RunResult result = outcome.result();
        assertThat(result.artifacts()).hasSizeLessThanOrEqualTo(MAX_ARTIFACT_COUNT);
        assertThat(result.skippedArtifacts()).hasSizeLessThanOrEqualTo(RunResult.MAX_LISTED_SKIPS);
        assertThat(result.skippedArtifactCount()).isGreaterThan(RunResult.MAX_LISTED_SKIPS);
    }

    @Test
    void aDeepDirectoryTreeIsWalkedAndItsFileReturnedWithItsPath() {
        SandboxOutcome outcome = timedAttack("""
                p <- paste(rep('d', 1000), collapse = '/')
                dir.create(p, recursive = TRUE)
                writeLines('deep', file.path(p, 'leaf.txt'))
                cat(nchar(p))
                """);

        assertThat(outcome.ending()).isEqualTo(Ending.COMPLETED);
        assertThat(outcome.result().artifacts()).singleElement().satisfies(leaf -> {
            assertThat(leaf.filename()).endsWith("/d/leaf.txt").hasSize(1999 + "/leaf.txt".length());
            assertThat(leaf.content()).isEqualTo("deep\n");
        });
    }

    @Test
    void textOfControlBytesIsReturnedAsBase64NotSixfoldEscapes() {
        SandboxOutcome outcome = timedAttack("writeBin(as.raw(rep(1, 5e5)), 'ones.txt')");

        assertThat(outcome.result().artifacts()).singleElement().satisfies(ones -> {
            assertThat(ones.encoding()).isEqualTo(Artifact.BASE64);
            assertThat(ones.fileBytes()).isEqualTo(500_000);
        });
        assertThat(JsonCodec.encodedSize(outcome.result())).isLessThan(700_000);
    }

    @Test
    void outputAtTheCapIsCutWithAMarkerAndTheResultStaysBounded() {
        SandboxOutcome outcome = timedAttack("""
                cat(rawToChar(as.raw(rep(1, 2e5))))
                cat(strrep('e', 2e5), file = stderr())
                """);

        long cap = SMALL.maxOutputBytes().toBytes();
        assertThat(outcome.result().stdout()).contains("[output truncated:");
        assertThat(outcome.result().stderr()).contains("[output truncated:");
        // six-byte escapes for each kept control byte, and no more
        assertThat(JsonCodec.encodedSize(outcome.result())).isLessThan(8 * cap);
    }

    @Test
    void filesPastTheResultCapAreListedAsSkippedNotDropped() {
        JobSpec spec = new JobSpec("""
                for (n in c('a', 'b', 'c')) { writeLines(strrep(n, 2e5), paste0(n, '.txt')); Sys.sleep(1.1) }
                """, TIMEOUT_SECONDS, MAX_ARTIFACT_COUNT, MAX_ARTIFACT_BYTES, 300_000);

        SandboxOutcome outcome = timedAttack(SMALL, spec);

        assertThat(outcome.result().artifacts()).extracting(Artifact::filename).containsExactly("c.txt");
        assertThat(outcome.result().skippedArtifacts())
                .extracting(SkippedArtifact::filename, SkippedArtifact::reason)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("b.txt", SkippedArtifact.Reason.RESULT_FULL),
                        org.assertj.core.groups.Tuple.tuple("a.txt", SkippedArtifact.Reason.RESULT_FULL));
    }

    @Test
    void aCollectionPastItsDeadlineIsCutAndReturnsWhatItRead() {
        SandboxProperties hasty = new SandboxProperties(SMALL.user(), SMALL.pidsLimit(), SMALL.nofile(), DataSize.ofMegabytes(32), SMALL.tmpSize(),
                SMALL.maxOutputBytes(), SMALL.runtime(), Duration.ofMillis(1));

        SandboxOutcome outcome = timedAttack(hasty, spec("""
                for (i in 1:30) writeBin(as.raw(sample(0:255, 1e6, TRUE)), sprintf('r%02d.bin', i))
                cat('written')
                """, TIMEOUT_SECONDS));

        assertThat(outcome.ending()).isEqualTo(Ending.COMPLETED);
        assertThat(outcome.result().stdout()).isEqualTo("written");
        assertThat(outcome.result().skippedArtifacts()).extracting(SkippedArtifact::reason)
                .contains(SkippedArtifact.Reason.UNREAD);
    }
}
