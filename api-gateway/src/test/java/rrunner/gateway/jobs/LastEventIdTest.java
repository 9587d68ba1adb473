package rrunner.gateway.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.HttpStatus;
import rrunner.gateway.problem.ProblemType;

class LastEventIdTest {

    @ParameterizedTest
    @ValueSource(strings = {"0-0", "1714554000561-0", "1714554000561-17", "18446744073709551615-0",
            "0-18446744073709551615", "18446744073709551615-18446744073709551614"})
    void takesEveryStreamEntryIdRedisCanHold(String id) {
        assertThat(LastEventId.checked(id)).isEqualTo(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"18446744073709551616-0", "0-18446744073709551616", "99999999999999999999-1",
            "1-99999999999999999999", "18446744073709551615-18446744073709551615", "123456789012345678901-0",
            "latest", "1714554000561", "-1-0", "+1-0", "1-0 ", "1_0", ""})
    void refusesWithATypedProblemWhatCanBeNoEventsId(String id) {
        assertThatExceptionOfType(InvalidJobRequestException.class).isThrownBy(() -> LastEventId.checked(id))
                .satisfies(e -> assertThat(e.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST))
                .satisfies(e -> assertThat(e.getBody().getType()).isEqualTo(ProblemType.INVALID_LAST_EVENT_ID.uri()))
                .satisfies(e -> assertThat(e.getBody().getDetail()).startsWith("Last-Event-ID must be"));
    }

    @Test
    void leavesAnAbsentHeaderAbsent() {
        assertThat(LastEventId.checked(null)).isNull();
    }
}
