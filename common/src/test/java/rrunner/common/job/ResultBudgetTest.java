package rrunner.common.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import rrunner.common.json.JsonCodec;

class ResultBudgetTest {

    private static Artifact text(String name, int bytes) {
        return Artifact.of(name, "x".repeat(bytes).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void everythingThatFitsIsKeptAndNothingIsListed() {
        RunResult result = ResultBudget.fit(0, "out", "err", List.of(text("a.txt", 10), text("b.txt", 10)),
                new SkippedArtifacts(), 10_000);

        assertThat(result.artifacts()).extracting(Artifact::filename).containsExactly("a.txt", "b.txt");
        assertThat(result.skippedArtifacts()).isEmpty();
        assertThat(result.skippedArtifactCount()).isNull();
    }

    @Test
    void anArtifactThatWouldPassTheCapIsListedWhileAnOlderSmallerOneStillFits() {
        List<Artifact> newestFirst = List.of(text("new.txt", 500), text("big.txt", 5_000), text("old.txt", 500));

        RunResult result = ResultBudget.fit(0, "", "", newestFirst, new SkippedArtifacts(), 2_000);

        assertThat(result.artifacts()).extracting(Artifact::filename).containsExactly("new.txt", "old.txt");
        assertThat(result.skippedArtifacts()).containsExactly(
                new SkippedArtifact("big.txt", SkippedArtifact.Reason.RESULT_FULL, 5_000L));
        assertThat(JsonCodec.encodedSize(result)).isLessThanOrEqualTo(2_000);
    }

    @Test
    void theCapCountsJsonEscapesNotCharacters() {
        // 300 quotes are 300 bytes of text but 600 of JSON
        Artifact quotes = Artifact.of("q.txt", "\"".repeat(300).getBytes(java.nio.charset.StandardCharsets.UTF_8));

        RunResult result = ResultBudget.fit(0, "", "", List.of(quotes), new SkippedArtifacts(), 500);

        assertThat(result.artifacts()).isEmpty();
        assertThat(result.skippedArtifacts()).extracting(SkippedArtifact::reason)
                .containsExactly(SkippedArtifact.Reason.RESULT_FULL);
    }

    @Test
    void stdoutAndStderrComeFirstAndAreNeverCut() {
        String stdout = "o".repeat(900);

        RunResult result = ResultBudget.fit(1, stdout, "", List.of(text("a.txt", 200)), new SkippedArtifacts(), 1_000);

        assertThat(result.stdout()).isEqualTo(stdout);
        assertThat(result.success()).isFalse();
        assertThat(result.artifacts()).isEmpty();
        assertThat(result.skippedArtifactCount()).isEqualTo(1);
    }

    @Test
    void aHundredThousandSkipsAreAllCountedButOnlyTheFirstHundredListed() {
        SkippedArtifacts skipped = new SkippedArtifacts();
        for (int i = 0; i < 100_000; i++) {
            skipped.add("f" + i, SkippedArtifact.Reason.TOO_MANY, 0L);
        }
        List<Artifact> none = new ArrayList<>();

        RunResult result = ResultBudget.fit(0, "", "", none, skipped, 1_000_000);

        assertThat(result.skippedArtifacts()).hasSize(RunResult.MAX_LISTED_SKIPS);
        assertThat(result.skippedArtifactCount()).isEqualTo(100_000);
        assertThat(JsonCodec.encodedSize(result)).isLessThan(10_000);
    }

    @Test
    void aResultWithSkippedFilesSurvivesTheJsonRoundTrip() {
        SkippedArtifacts skipped = new SkippedArtifacts();
        skipped.add("sparse.bin", SkippedArtifact.Reason.UNREAD, 1_000_000_000_000_000L);
        RunResult result = ResultBudget.fit(0, "", "", List.of(), skipped, 10_000);

        RunResult read = JsonCodec.read(JsonCodec.write(result), RunResult.class);

        assertThat(read).isEqualTo(result);
        assertThat(JsonCodec.write(result)).contains("\"reason\":\"unread\"");
    }

    @Test
    void aResultStoredBeforeSkipsWereListedReadsAsNothingSkipped() {
        String old = "{\"success\":true,\"exit_code\":0,\"stdout\":\"\",\"stderr\":\"\",\"runtime_stderr\":\"\","
                + "\"artifacts\":[]}";

        RunResult read = JsonCodec.read(old, RunResult.class);

        assertThat(read.skippedArtifacts()).isEmpty();
        assertThat(read.skippedArtifactCount()).isNull();
    }
}
