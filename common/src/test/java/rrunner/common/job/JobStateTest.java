package rrunner.common.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class JobStateTest {

    @Test
    void everyJobStartsQueued() {
        assertThat(JobState.initial()).isEqualTo(JobState.QUEUED);
    }

    @Test
    void queuedJobsCanOnlyStartOrBeCancelled() {
        assertThat(EnumSet.allOf(JobState.class)).filteredOn(JobState.QUEUED::canMoveTo)
                .containsExactlyInAnyOrder(JobState.RUNNING, JobState.CANCELLED);
    }

    @Test
    void runningJobsCanEndAnyWayOrBeRequeuedByARescue() {
        assertThat(EnumSet.allOf(JobState.class)).filteredOn(JobState.RUNNING::canMoveTo)
                .containsExactlyInAnyOrder(JobState.SUCCEEDED, JobState.FAILED, JobState.TIMED_OUT,
                        JobState.CANCELLED, JobState.QUEUED);
    }

    @ParameterizedTest
    @EnumSource(names = {"SUCCEEDED", "FAILED", "TIMED_OUT", "CANCELLED"})
    void terminalStatesNeverChange(JobState terminal) {
        assertThat(terminal.isTerminal()).isTrue();
        assertThat(EnumSet.allOf(JobState.class)).noneMatch(terminal::canMoveTo);
    }

    @Test
    void wireNamesAreLowerSnakeCase() {
        assertThat(JobState.TIMED_OUT.wireName()).isEqualTo("timed_out");
        assertThat(JobState.fromWireName("timed_out")).isEqualTo(JobState.TIMED_OUT);
    }

    @Test
    void aResultsStateFollowsItsSuccessSoRunAndJobsAgree() {
        assertThat(JobState.of(RunResult.ofScript(0, "", "", java.util.List.of()))).isEqualTo(JobState.SUCCEEDED);
        assertThat(JobState.of(RunResult.ofScript(3, "", "", java.util.List.of()))).isEqualTo(JobState.FAILED);
    }
}
