package rrunner.gateway.tenants;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenDisplayTest {

    @Test
    void showsTheFirstAndLastFourCharactersOfAToken() {
        assertThat(TokenDisplay.masked("rr_live_0123456789abcdef")).isEqualTo("rr_l…cdef");
    }

    @Test
    void showsNothingOfAShortToken() {
        assertThat(TokenDisplay.masked("s3cret-token")).isEqualTo("****");
    }
}
