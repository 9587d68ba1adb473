package rrunner.common.job;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class JobStatusTest {

    @ParameterizedTest
    @EnumSource(JobState.class)
    void aJobShowsItsStateWhenNoCancelIsPending(JobState state) {
        assertThat(JobStatus.of(state, false).wireName()).isEqualTo(state.wireName());
    }

    @Test
    void aRunningJobWhoseCancelIsPendingShowsCancelling() {
        assertThat(JobStatus.of(JobState.RUNNING, true)).isEqualTo(JobStatus.CANCELLING);
        assertThat(JobStatus.CANCELLING.wireName()).isEqualTo("cancelling");
    }

    @ParameterizedTest
    @EnumSource(value = JobState.class, names = "RUNNING", mode = EnumSource.Mode.EXCLUDE)
    void aCancelRequestMattersOnlyWhileTheJobRuns(JobState state) {
        assertThat(JobStatus.of(state, true)).isEqualTo(JobStatus.of(state, false));
    }
}
