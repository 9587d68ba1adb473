package rrunner.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;
import rrunner.gateway.auth.BearerToken.Verdict;

class BearerTokenTest {

    private final BearerToken token = new BearerToken("s3cret-token");

    @Test
    void acceptsTheConfiguredToken() {
        assertThat(token.check("Bearer s3cret-token")).isEqualTo(Verdict.ACCEPTED);
    }

    @Test
    void acceptsTheSchemeInAnyCaseAndTrailingSpace() {
        assertThat(token.check("bearer s3cret-token ")).isEqualTo(Verdict.ACCEPTED);
        assertThat(token.check("BEARER s3cret-token")).isEqualTo(Verdict.ACCEPTED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bearer s3cret-tokem", "Bearer s3cret-token-and-more", "Bearer s3cret", "Bearer S3CRET-TOKEN"})
    void rejectsAnyOtherToken(String header) {
        assertThat(token.check(header)).isEqualTo(Verdict.REJECTED);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"Bearer", "Bearer ", "Bearer    ", "Basic czNjcmV0LXRva2Vu", "s3cret-token"})
    void reportsAMissingTokenWhenNoBearerTokenIsPresented(String header) {
        assertThat(token.check(header)).isEqualTo(Verdict.MISSING);
    }

    @Test
    void comparesUnicodeTokensByTheirBytes() {
        BearerToken unicode = new BearerToken("clé-secrète");

        assertThat(unicode.check("Bearer clé-secrète")).isEqualTo(Verdict.ACCEPTED);
        assertThat(unicode.check("Bearer cle-secrete")).isEqualTo(Verdict.REJECTED);
    }
}
