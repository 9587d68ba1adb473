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
    void onlyAReadySessionTakesAnExecOrExpires() {
        assertThat(EnumSet.allOf(SessionState.class)).filteredOn(state -> state.canMoveTo(SessionState.BUSY))
                .containsExactly(SessionState.READY);
        assertThat(EnumSet.allOf(SessionState.class)).filteredOn(state -> state.canMoveTo(SessionState.EXPIRED))
                .containsExactly(SessionState.READY);
    }

    @Test
    void anyLiveSessionCanBeDeletedOrLost() {
        assertThat(EnumSet.of(SessionState.STARTING, SessionState.READY, SessionState.BUSY))
                .allMatch(state -> state.canMoveTo(SessionState.DELETED) && state.canMoveTo(SessionState.LOST));
    }

    @ParameterizedTest
    @EnumSource(names = {"EXPIRED", "DELETED", "LOST"})
    void endedSessionsNeverChange(SessionState ended) {
        assertThat(ended.isTerminal()).isTrue();
        assertThat(EnumSet.allOf(SessionState.class)).noneMatch(ended::canMoveTo);
    }
}
