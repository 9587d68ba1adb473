package rrunner.worker.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SessionPathsTest {

    @Test
    void prefixesARelativePathSoNoSegmentReadsAsAnOption() {
        assertThat(SessionPaths.checked("data/in.csv")).isEqualTo("./data/in.csv");
        assertThat(SessionPaths.checked("-rf")).isEqualTo("./-rf");
    }

    @Test
    void refusesPathsThatCouldLeaveTheWorkspace() {
        for (String path : new String[] {null, "", "/etc/passwd", "../x", "a/../../x", "a/..", ".", "./a", "a//b",
                "a/", "a\\b", "a\0b", "x".repeat(1025)}) {
            assertThat(SessionPaths.isSafe(path)).as(String.valueOf(path)).isFalse();
            assertThatThrownBy(() -> SessionPaths.checked(path)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
