package rrunner.gateway.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import rrunner.common.event.JobEvent;
import rrunner.common.event.JobEventType;
import rrunner.common.job.JobId;
import rrunner.common.job.RunResult;
import tools.jackson.databind.json.JsonMapper;

/** The wire shape of each event, as a client reads one NDJSON line. */
class StreamEventTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void progressIsIdTypeAndData() {
        StreamEvent event = StreamEvent.of(new JobEvent("1-0", JobEventType.STDOUT, "x\n"));

        assertThat(JSON.writeValueAsString(event)).isEqualTo("{\"id\":\"1-0\",\"type\":\"stdout\",\"data\":\"x\\n\"}");
        assertThat(StreamEvent.isLast(event)).isFalse();
    }

    @Test
    void resultCarriesTheStatusAndTheRunResultOrNull() {
        StreamEvent cancelled = new StreamEvent.Result("2-0", "cancelled", null);
        StreamEvent succeeded = new StreamEvent.Result("2-0", "succeeded",
                RunResult.ofScript(0, "", "", List.of()));

        assertThat(JSON.writeValueAsString(cancelled))
                .isEqualTo("{\"id\":\"2-0\",\"type\":\"result\",\"status\":\"cancelled\",\"result\":null}");
        assertThat(JSON.readTree(JSON.writeValueAsString(succeeded)).path("result").path("exit_code").intValue())
                .isZero();
        assertThat(StreamEvent.isLast(cancelled)).isTrue();
    }

    @Test
    void failureHasNoIdAndIsLast() {
        StreamEvent failure = new StreamEvent.Failure(504, "no result", "0b7e3c1a-5d2f-4f8e-9a61-3c2d1e0f9b8a");

        assertThat(JSON.writeValueAsString(failure)).isEqualTo("{\"type\":\"error\",\"status\":504,"
                + "\"detail\":\"no result\",\"job_id\":\"0b7e3c1a-5d2f-4f8e-9a61-3c2d1e0f9b8a\"}");
        assertThat(StreamEvent.isLast(failure)).isTrue();
    }

    @Test
    void aJobGoneFromRedisIsALast404ErrorWithItsProblemType() {
        StreamEvent gone = StreamEvent.Failure.gone(new JobId("0b7e3c1a-5d2f-4f8e-9a61-3c2d1e0f9b8a"));

        assertThat(JSON.readTree(JSON.writeValueAsString(gone)).propertyNames())
                .containsExactly("type", "status", "detail", "job_id", "problem_type");
        assertThat(JSON.readTree(JSON.writeValueAsString(gone)).path("problem_type").stringValue())
                .isEqualTo("urn:rrunner:problem:job-gone");
        assertThat(StreamEvent.isLast(gone)).isTrue();
    }

    @Test
    void keepAliveIsOnlyItsTypeAndNeverLast() {
        assertThat(JSON.writeValueAsString(StreamEvent.KeepAlive.INSTANCE)).isEqualTo("{\"type\":\"keepalive\"}");
        assertThat(StreamEvent.isLast(StreamEvent.KeepAlive.INSTANCE)).isFalse();
    }
}
