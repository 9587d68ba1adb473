package rrunner.worker.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class EndMarkerTest {

    @Test
    void readsTheStatusAndTheChangedPathsInTheirOrder() {
        assertThat(EndMarker.parse("ok 3 642fc3bc2e747874,6f75742e747874", "ok"))
                .contains(new EndMarker(EndMarker.Status.OK, 3, List.of("d/ü.txt", "out.txt")));
        assertThat(EndMarker.parse("interrupted 0 ", "interrupted"))
                .contains(new EndMarker(EndMarker.Status.INTERRUPTED, 0, List.of()));
    }

    @Test
    void refusesMarkersTheLoopNeverWrites() {
        assertThat(EndMarker.parse("ok 0 ", "error")).as("streams disagree").isEmpty();
        assertThat(EndMarker.parse("done 0 ", "done")).as("unknown status").isEmpty();
        assertThat(EndMarker.parse("ok x ", "ok")).as("count").isEmpty();
        assertThat(EndMarker.parse("ok 1 zz", "ok")).as("not hex").isEmpty();
        assertThat(EndMarker.parse("ok 1 abc", "ok")).as("odd hex").isEmpty();
        assertThat(EndMarker.parse("ok", "ok")).as("fields").isEmpty();
    }
}
