package rrunner.common.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SessionStateTest {

    @Test
    void everySessionStartsStarting() {
        assertThat(SessionState.initial()).isEqualTo(SessionState.STARTING);
    }

    @Test
    void onlyAReadySessionTakesAnExecOrExpiresBesidesOneRestoredWithItsQueuedExec() {
        assertThat(EnumSet.allOf(SessionState.class)).filteredOn(state -> state.canMoveTo(SessionState.BUSY))
                .containsExactly(SessionState.STARTING, SessionState.READY);
        assertThat(EnumSet.allOf(SessionState.class)).filteredOn(state -> state.canMoveTo(SessionState.EXPIRED))
                .containsExactly(SessionState.READY);
    }

    @Test
    void anyLiveSessionCanBeDeletedOrLost() {
        assertThat(EnumSet.of(SessionState.STARTING, SessionState.READY, SessionState.BUSY))
                .allMatch(state -> state.canMoveTo(SessionState.DELETED) && state.canMoveTo(SessionState.LOST));
    }

    @Test
    void aLiveSessionMovesToAnotherWorkerThroughStarting() {
        assertThat(EnumSet.allOf(SessionState.class)).filteredOn(state -> state.canMoveTo(SessionState.STARTING))
                .containsExactly(SessionState.READY, SessionState.BUSY);
    }

    @ParameterizedTest
    @EnumSource(names = {"EXPIRED", "DELETED", "LOST"})
    void endedSessionsNeverChange(SessionState ended) {
        assertThat(ended.isTerminal()).isTrue();
        assertThat(EnumSet.allOf(SessionState.class)).noneMatch(ended::canMoveTo);
    }
}
