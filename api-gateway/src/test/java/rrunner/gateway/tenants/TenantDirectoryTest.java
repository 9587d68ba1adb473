package rrunner.gateway.tenants;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TenantDirectoryTest {

    private static final String ACME_TOKEN = "acme-token-0123456789";

    private final TenantDirectory directory = TenantDirectory.of(TokensFile.parse("""
            tenants:
              - id: acme
                token_sha256: [%s]
                weight: 3
            """.formatted(sha256(ACME_TOKEN))), "s3cret-token");

    @Test
    void findsTheTenantWhoseTokenHashMatches() {
        assertThat(directory.authenticate(ACME_TOKEN)).map(Tenant::id).contains("acme");
    }

    @Test
    void runnerTokenIsTheTenantDefaultWithoutLimits() {
        assertThat(directory.authenticate("s3cret-token")).contains(new Tenant("default", 1, TenantLimits.NONE));
    }

    @Test
    void runnerTokenTakesTheFilesLimitsWhenTheFileNamesDefault() {
        TenantDirectory withDefault = TenantDirectory.of(TokensFile.parse("""
                tenants:
                  - id: default
                    token_sha256: [%s]
                    max_queued: 7
                """.formatted(sha256(ACME_TOKEN))), "s3cret-token");

        assertThat(withDefault.authenticate("s3cret-token")).map(tenant -> tenant.limits().maxQueued()).contains(7);
        assertThat(withDefault.tenants()).hasSize(1);
    }

    @Test
    void theDefaultTenantSignsWithWebhookSecretsUnlessTheFileGivesItItsOwn() {
        WebhookSecret fromEnvironment = WebhookSecret.parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        WebhookSecret fromFile = WebhookSecret.parse("whsec_QUJDREVGR0hJSktMTU5PUFFSU1RVVldY");

        assertThat(TenantDirectory.of(List.of(), "s3cret-token", List.of(fromEnvironment)).find("default"))
                .map(Tenant::webhookSecrets).contains(List.of(fromEnvironment));
        assertThat(TenantDirectory.of(TokensFile.parse("tenants: [{id: default, token_sha256: ["
                + sha256(ACME_TOKEN) + "], webhook_secrets: [whsec_QUJDREVGR0hJSktMTU5PUFFSU1RVVldY]}]"), "s3cret-token",
                List.of(fromEnvironment)).authenticate("s3cret-token"))
                .map(Tenant::webhookSecrets).contains(List.of(fromFile));
        assertThat(directory.find("acme")).map(Tenant::webhookSecrets).contains(List.of());
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3cret-tokem", "s3cret-token-and-more", "s3cret", "S3CRET-TOKEN", "acme-token"})
    void rejectsAnyOtherToken(String token) {
        assertThat(directory.authenticate(token)).isEmpty();
    }

    @Test
    void comparesUnicodeTokensByTheirBytes() {
        TenantDirectory unicode = TenantDirectory.of(List.of(), "clé-secrète");

        assertThat(unicode.authenticate("clé-secrète")).isPresent();
        assertThat(unicode.authenticate("cle-secrete")).isEmpty();
    }

    static String sha256(String token) {
        return HexFormat.of().formatHex(TenantDirectory.sha256(token));
    }
}
