package rrunner.worker.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import rrunner.common.event.JobEventType;

class LateOutputTest {

    @Test
    void handsOutputThatCameBeforeTheJobToItFirstInOrder() {
        LateOutput output = new LateOutput();
        List<String> seen = new ArrayList<>();
        output.onOutput(JobEventType.STDERR, "early ");
        output.onOutput(JobEventType.STDOUT, "second ");

        output.bind((stream, chunk) -> seen.add(stream + ":" + chunk));
        output.onOutput(JobEventType.STDOUT, "late");

        assertThat(seen).containsExactly("STDERR:early ", "STDOUT:second ", "STDOUT:late");
    }
}
