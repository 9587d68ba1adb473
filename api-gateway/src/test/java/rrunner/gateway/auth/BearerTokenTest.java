package rrunner.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class BearerTokenTest {

    @Test
    void readsTheTokenAfterTheScheme() {
        assertThat(BearerToken.presented("Bearer s3cret-token")).isEqualTo("s3cret-token");
    }

    @Test
    void acceptsTheSchemeInAnyCaseAndTrailingSpace() {
        assertThat(BearerToken.presented("bearer s3cret-token ")).isEqualTo("s3cret-token");
        assertThat(BearerToken.presented("BEARER s3cret-token")).isEqualTo("s3cret-token");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"Bearer", "Bearer ", "Bearer    ", "Basic czNjcmV0LXRva2Vu", "s3cret-token"})
    void findsNoTokenWhenNoBearerTokenIsPresented(String header) {
        assertThat(BearerToken.presented(header)).isNull();
    }
}
