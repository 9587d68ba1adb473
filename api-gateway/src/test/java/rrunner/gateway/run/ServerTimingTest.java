package rrunner.gateway.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import rrunner.common.job.AttemptError;
import rrunner.common.job.JobId;
import rrunner.common.job.JobRecord;
import rrunner.common.job.JobState;
import rrunner.common.job.RunResult;
import rrunner.common.job.RunTimings;
import rrunner.common.testing.Jobs;

class ServerTimingTest {

    private static final Instant CREATED = Instant.parse("2024-05-01T09:00:00.000Z");
    private static final Instant CLAIMED = CREATED.plusNanos(12_300_000);
    private static final Duration TOTAL = Duration.ofNanos(380_470_000);

    @Test
    void namesEveryPhaseInMillisecondsWithOneDecimal() {
        JobRecord ran = ended(JobState.SUCCEEDED, CLAIMED, Jobs.someTimings());

        assertThat(ServerTiming.of(ran, TOTAL).header()).isEqualTo(
                "queue;dur=12.3, acquire;dur=4.0;desc=\"warm\", run;dur=310.2, collect;dur=41.0, total;dur=380.5");
    }

    @Test
    void aLaterAnswerAboutAnEndedJobHasItsPhasesButNoTotal() {
        JobRecord ran = ended(JobState.SUCCEEDED, CLAIMED, Jobs.someTimings());

        assertThat(ServerTiming.phasesOf(ran).header()).isEqualTo(
                "queue;dur=12.3, acquire;dur=4.0;desc=\"warm\", run;dur=310.2, collect;dur=41.0");
    }

    @Test
    void describesASandboxStartedForTheJobAsCold() {
        RunTimings cold = new RunTimings(Duration.ofMillis(650), Duration.ofMillis(20), Duration.ofMillis(30), false);

        assertThat(ServerTiming.of(ended(JobState.SUCCEEDED, CLAIMED, cold), TOTAL).header())
                .contains("acquire;dur=650.0;desc=\"cold\"");
    }

    @Test
    void keepsTheQueueWaitButNoWorkerPhasesForAJobGivenUpWithoutTimings() {
        JobRecord givenUp = ended(JobState.FAILED, CLAIMED, null);

        assertThat(ServerTiming.of(givenUp, TOTAL).header()).isEqualTo("queue;dur=12.3, total;dur=380.5");
    }

    @Test
    void hasOnlyTheTotalForAJobNoWorkerTook() {
        JobRecord cancelledWhileQueued = ended(JobState.CANCELLED, null, null);

        assertThat(ServerTiming.of(cancelledWhileQueued, TOTAL).header()).isEqualTo("total;dur=380.5");
    }

    @Test
    void hasOnlyTheTotalWhenTheAnswerCameBeforeAJobEnded() {
        assertThat(ServerTiming.of(null, Duration.ofNanos(49_999)).header()).isEqualTo("total;dur=0.0");
        assertThat(ServerTiming.of(null, Duration.ofNanos(50_000)).header()).isEqualTo("total;dur=0.1");
    }

    @Test
    void measuresTheQueueWaitUpToTheLastAttemptsClaim() {
        AttemptError died = new AttemptError(1, "w1", CREATED.plusSeconds(16), "lease expired (worker w1)");
        JobRecord retried = new JobRecord(JobId.random(), Jobs.aTrivialSpec(), JobState.SUCCEEDED, CREATED, 2, 3,
                "w2", CREATED.plusSeconds(17), CREATED.plusSeconds(18), false, List.of(died),
                Jobs.aSuccessfulResult("1"), Jobs.someTimings());

        assertThat(ServerTiming.of(retried, TOTAL).header()).startsWith("queue;dur=17000.0, ");
    }

    private static JobRecord ended(JobState state, Instant claimed, RunTimings timings) {
        RunResult result = state == JobState.SUCCEEDED ? Jobs.aSuccessfulResult("1") : null;
        return new JobRecord(JobId.random(), Jobs.aTrivialSpec(), state, CREATED, claimed == null ? 0 : 1, 3,
                claimed == null ? null : "w1", claimed, CREATED.plusSeconds(1), false, List.of(), result, timings);
    }
}
