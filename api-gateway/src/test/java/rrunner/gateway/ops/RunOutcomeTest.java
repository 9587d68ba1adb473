package rrunner.gateway.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

class RunOutcomeTest {

    @Test
    void namesEachWayARunEnds() {
        assertThat(RunOutcome.of(HttpStatus.OK)).isEqualTo(RunOutcome.COMPLETED);
        assertThat(RunOutcome.of(HttpStatus.REQUEST_TIMEOUT)).isEqualTo(RunOutcome.TIMED_OUT);
        assertThat(RunOutcome.of(HttpStatus.CONFLICT)).isEqualTo(RunOutcome.CANCELLED);
        assertThat(RunOutcome.of(HttpStatus.TOO_MANY_REQUESTS)).isEqualTo(RunOutcome.UNAVAILABLE);
        assertThat(RunOutcome.of(HttpStatus.SERVICE_UNAVAILABLE)).isEqualTo(RunOutcome.UNAVAILABLE);
        assertThat(RunOutcome.of(HttpStatus.GATEWAY_TIMEOUT)).isEqualTo(RunOutcome.OVERDUE);
    }

    @Test
    void foldsOtherClientErrorsIntoRejectedAndTheRestIntoError() {
        assertThat(RunOutcome.of(HttpStatus.CONTENT_TOO_LARGE)).isEqualTo(RunOutcome.REJECTED);
        assertThat(RunOutcome.of(HttpStatus.UNPROCESSABLE_CONTENT)).isEqualTo(RunOutcome.REJECTED);
        assertThat(RunOutcome.of(HttpStatus.INTERNAL_SERVER_ERROR)).isEqualTo(RunOutcome.ERROR);
        assertThat(RunOutcome.of(null)).isEqualTo(RunOutcome.ERROR);
    }

    @Test
    void tagsAreSnakeCase() {
        assertThat(RunOutcome.TIMED_OUT.tag()).isEqualTo("timed_out");
    }
}
