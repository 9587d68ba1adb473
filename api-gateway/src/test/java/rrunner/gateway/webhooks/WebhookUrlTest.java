package rrunner.gateway.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import rrunner.gateway.problem.ProblemType;

class WebhookUrlTest {

    @Test
    void readsTheHostAndTheSchemesDefaultPort() {
        WebhookUrl url = WebhookUrl.parse("https://Hooks.Example.com/r-runner?x=1", false);

        assertThat(url.host()).isEqualTo("hooks.example.com");
        assertThat(url.port()).isEqualTo(443);
        assertThat(url.literal()).isEmpty();
    }

    @Test
    void readsABracketedIpv6LiteralWithoutALookup() {
        WebhookUrl url = WebhookUrl.parse("https://[2001:4860:4860::8888]:8443/", false);

        assertThat(url.host()).isEqualTo("2001:4860:4860::8888");
        assertThat(url.port()).isEqualTo(8443);
        assertThat(url.literal()).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://hooks.example.com/", "ftp://hooks.example.com/", "/relative", "hooks.example.com",
        "https://user:pass@hooks.example.com/", "https://user@hooks.example.com/", "https://hooks.example.com/#x",
        "https:///nohost", "https://0x7f000001/", "https://2130706433/", "https://127.1/", "https://0177.0.0.1/",
        "https://127.0.0.01/", "https://a.b.0x10/", "not a url"})
    void refusesWhatNoWebhookMayBe(String text) {
        assertThatThrownBy(() -> WebhookUrl.parse(text, false))
                .isInstanceOfSatisfying(WebhookRefusedException.class, e -> assertThat(e.getBody().getType())
                        .isEqualTo(ProblemType.INVALID_WEBHOOK.uri()));
    }

    @Test
    void acceptsHttpOnlyWhereTheOperatorAllowsIt() {
        assertThat(WebhookUrl.parse("http://hooks.example.com/", true).port()).isEqualTo(80);
    }

    @Test
    void refusesAUrlOverTheLengthCap() {
        String tooLong = "https://hooks.example.com/" + "a".repeat(WebhookUrl.MAX_LENGTH);

        assertThatThrownBy(() -> WebhookUrl.parse(tooLong, false)).hasMessageContaining("over");
    }
}
