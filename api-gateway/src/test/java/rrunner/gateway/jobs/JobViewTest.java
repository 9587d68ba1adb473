package rrunner.gateway.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import rrunner.common.environment.Environments;
import rrunner.common.job.AttemptError;
import rrunner.common.job.JobId;
import rrunner.common.job.JobRecord;
import rrunner.common.job.JobState;
import rrunner.common.job.JobStatus;
import rrunner.common.testing.Jobs;
import rrunner.common.testing.SharedSettings;

class JobViewTest {

    private static final Instant CREATED = Instant.parse("2024-05-01T09:00:00Z");
    private static final Instant CLAIMED = CREATED.plusSeconds(1);
    private static final Environments ENVIRONMENTS = SharedSettings.environments();

    @Test
    void showsARunningJobWithACancelRequestAsCancelling() {
        assertThat(JobView.of(job(JobState.RUNNING, 1, true, List.of()), ENVIRONMENTS).status())
                .isEqualTo(JobStatus.CANCELLING.wireName(), ENVIRONMENTS).isEqualTo("cancelling");
        assertThat(JobView.of(job(JobState.RUNNING, 1, false, List.of()), ENVIRONMENTS).status()).isEqualTo("running");
    }

    @Test
    void hasNoStartTimeWhileTheJobIsBackInTheQueue() {
        AttemptError died = new AttemptError(1, "w1", CLAIMED.plusSeconds(15), "lease expired (worker w1)");

        JobView requeued = JobView.of(job(JobState.QUEUED, 1, false, List.of(died)), ENVIRONMENTS);

        assertThat(requeued.startedAt()).isNull();
        assertThat(requeued.attempt()).isEqualTo(1);
        assertThat(requeued.errors()).containsExactly(died);
    }

    @Test
    void showsTheGivenUpResultOfAJobThatFailedWithoutOne() {
        AttemptError died = new AttemptError(1, "w1", CLAIMED, "lease expired (worker w1)");

        JobView failed = JobView.of(job(JobState.FAILED, 1, false, List.of(died)), ENVIRONMENTS);

        assertThat(failed.startedAt()).isEqualTo(CLAIMED);
        assertThat(failed.result().runtimeStderr()).contains("lease expired");
    }

    private static JobRecord job(JobState state, int attempt, boolean cancelRequested, List<AttemptError> errors) {
        return new JobRecord(JobId.random(), Jobs.aTrivialSpec(), state, CREATED, attempt, 3, "w1", CLAIMED,
                state.isTerminal() ? CLAIMED.plusSeconds(1) : null, cancelRequested, errors, null, null);
    }
}
