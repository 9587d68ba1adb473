package rrunner.gateway.tenants;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TokensFileTest {

    private static final String HASH = "a".repeat(64);
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    @Test
    void readsEveryLimitOfATenant() {
        List<TokensFile.Entry> entries = TokensFile.parse("""
                tenants:
                  - id: acme
                    token_sha256: [%s, %s]
                    weight: 3
                    max_running: 4
                    max_queued: 100
                    requests_per_minute: 600
                    max_timeout_seconds: 120
                    max_memory_mb: 2048
                    max_cpus: 1.5
                    environments: [r-base]
                """.formatted(HASH, "B".repeat(64)));

        assertThat(entries).singleElement().satisfies(entry -> {
            assertThat(entry.tenant()).isEqualTo(new Tenant("acme", 3, new TenantLimits(4, 100, 600, 120, 2048L,
                    new BigDecimal("1.5"), List.of("r-base"))));
            assertThat(entry.tokenHashes()).hasSize(2);
        });
    }

    @Test
    void leavesWhatATenantDoesNotCapUncapped() {
        assertThat(TokensFile.parse("tenants: [{id: a, token_sha256: [" + HASH + "]}]"))
                .singleElement().extracting(TokensFile.Entry::tenant)
                .isEqualTo(new Tenant("a", 1, TenantLimits.NONE));
    }

    @Test
    void readsATenantsWebhookSecretsAndNeverPrintsThem() {
        Tenant tenant = TokensFile.parse("tenants: [{id: a, token_sha256: [" + HASH + "], webhook_secrets: ["
                + SECRET + ", whsec_QUJDREVGR0hJSktMTU5PUFFSU1RVVldY]}]").get(0).tenant();

        assertThat(tenant.webhookSecrets()).hasSize(2).first().isEqualTo(WebhookSecret.parse(SECRET));
        assertThat(tenant.toString()).doesNotContain(SECRET.substring("whsec_".length()));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "tenants: [{id: a, token_sha256: [HASH], max_queue: 3}]          | unknown key \"max_queue\"",
            "tenants: [{id: A!, token_sha256: [HASH]}]                        | id must be",
            "tenants: [{id: a, token_sha256: [s3cret-token]}]                 | no SHA-256",
            "tenants: [{id: a}]                                               | token_sha256 must list",
            "tenants: [{id: a, token_sha256: [HASH], weight: 0}]              | weight must be a whole number, 1",
            "tenants: [{id: a, token_sha256: [HASH], max_queued: -1}]         | max_queued must be a whole number",
            "tenants: [{id: a, token_sha256: [HASH]}, {id: a, token_sha256: [HASH]}] | given twice",
            "tenants: [{id: a, token_sha256: [HASH]}, {id: b, token_sha256: [HASH]}] | belongs to one tenant",
            "users: []                                                        | one key, \"tenants\"",
            "tenants: [{id: a, token_sha256: [HASH], webhook_secrets: [s3cret]}] | must be whsec_",
            "tenants: [{id: a, token_sha256: [HASH], webhook_secrets: [whsec_c2hvcnQ=]}] | 24 to 64 bytes",
            "tenants: [{id: a, token_sha256: [HASH], webhook_secrets: [whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw, whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw, whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw]}] | at most 2",
            "tenants: [unclosed                                               | not YAML"})
    void refusesAFileThatIsNoListOfTenantsSayingWhatIsWrong(String yaml, String message) {
        assertThatExceptionOfType(InvalidTokensFileException.class)
                .isThrownBy(() -> TokensFile.parse(yaml.replace("HASH", HASH)))
                .withMessageContaining(message);
    }
}
