package rrunner.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Configuration;

/** Binds the settings as the app does and checks that bad ones stop startup with a message naming the variable. */
class GatewayPropertiesTest {

    private static final String[] DEFAULTS = {
            "rrunner.gateway.public-base-url=http://localhost:8000",
            "rrunner.gateway.tokens-reload-interval=5s",
            "rrunner.gateway.max-script-bytes=500000",
            "rrunner.gateway.max-input-files=50",
            "rrunner.gateway.max-input-file-bytes=5000000",
            "rrunner.gateway.max-input-bytes=20000000",
            "rrunner.gateway.max-artifact-count=10",
            "rrunner.gateway.max-artifact-bytes=5000000",
            "rrunner.gateway.max-result-bytes=70000000",
            "rrunner.gateway.queue-timeout-seconds=60",
            "rrunner.gateway.completion-grace-seconds=30",
            "rrunner.gateway.stream-keep-alive=15s"};

    private final AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();

    @AfterEach
    void closeContext() {
        context.close();
    }

    @Test
    void bindsValidSettings() {
        GatewayProperties properties = bind("rrunner.gateway.token=t0ken",
                "rrunner.gateway.public-base-url=runner.example.com");

        assertThat(properties.token()).isEqualTo("t0ken");
        assertThat(properties.publicBaseUrl()).isEqualTo("https://runner.example.com");
        assertThat(properties.maxInputFiles()).isEqualTo(50);
    }

    @Test
    void admitsAFullScriptAndAFullInputBudgetInBase64InOneBody() {
        GatewayProperties properties = bind("rrunner.gateway.token=t");

        // script at its worst JSON escaping, envelope, 20 MB as base64, 2 KB per file for path and keys
        assertThat(properties.maxRequestBytes()).isEqualTo(6 * 500_000 + 4096 + 26_666_668 + 50 * 2048);
    }

    @Test
    void keepsTheLargestRequestBodyWithinAnIntAtEveryLimitsMaximum() {
        GatewayProperties properties = bind("rrunner.gateway.token=t", "rrunner.gateway.max-script-bytes=100000000",
                "rrunner.gateway.max-input-files=1000", "rrunner.gateway.max-input-bytes=500000000",
                "rrunner.gateway.max-input-file-bytes=500000000");

        assertThat(properties.maxRequestBytes()).isPositive();
    }

    @Test
    void refusesAnInputFileLimitAboveTheWholeInputBudget() {
        assertThatExceptionOfType(BeanCreationException.class)
                .isThrownBy(() -> bind("rrunner.gateway.token=t", "rrunner.gateway.max-input-file-bytes=20000001"))
                .havingRootCause()
                .withMessageContaining("MAX_INPUT_FILE_BYTES must not be above MAX_INPUT_BYTES");
    }

    @Test
    void refusesAnInputBudgetTheRequestBodyCapCouldNotHold() {
        assertThatExceptionOfType(BeanCreationException.class)
                .isThrownBy(() -> bind("rrunner.gateway.token=t", "rrunner.gateway.max-input-bytes=500000001"))
                .havingRootCause()
                .withMessageContaining("MAX_INPUT_BYTES must be at most 500000000");
    }

    @Test
    void refusesToStartWithoutAToken() {
        assertThatExceptionOfType(BeanCreationException.class).isThrownBy(() -> bind())
                .havingRootCause()
                .isInstanceOf(BindValidationException.class)
                .withMessageContaining("RUNNER_TOKEN or RUNNER_TOKENS_FILE must be set");
    }

    @Test
    void refusesToStartWithABlankToken() {
        assertThatExceptionOfType(BeanCreationException.class).isThrownBy(() -> bind("rrunner.gateway.token=  "))
                .havingRootCause()
                .withMessageContaining("RUNNER_TOKEN or RUNNER_TOKENS_FILE must be set");
    }

    @Test
    void startsWithATokensFileAndNoToken() {
        assertThat(bind("rrunner.gateway.tokens-file=/etc/rrunner/tokens.yaml").tokensFile())
                .isEqualTo("/etc/rrunner/tokens.yaml");
    }

    @Test
    void refusesToStartWithAPublicBaseUrlThatIsNotHttp() {
        assertThatExceptionOfType(BeanCreationException.class)
                .isThrownBy(() -> bind("rrunner.gateway.token=t", "rrunner.gateway.public-base-url=ftp://x.org"))
                .havingRootCause()
                .withMessageContaining("PUBLIC_BASE_URL must be an http(s) URL");
    }

    @Test
    void refusesToStartWithANonPositiveScriptLimit() {
        assertThatExceptionOfType(BeanCreationException.class)
                .isThrownBy(() -> bind("rrunner.gateway.token=t", "rrunner.gateway.max-script-bytes=0"))
                .havingRootCause()
                .withMessageContaining("MAX_SCRIPT_BYTES must be at least 1");
    }

    @Test
    void waitsForAClaimedJobItsOwnTimeoutPlusTheGrace() {
        GatewayProperties properties = bind("rrunner.gateway.token=t");

        assertThat(properties.runCompletionTimeout(120)).isEqualTo(Duration.ofSeconds(150));
    }

    @Test
    void refusesAResultCapThatStdoutAndStderrAloneWouldPass() {
        assertThatExceptionOfType(BeanCreationException.class)
                .isThrownBy(() -> bind("rrunner.gateway.token=t", "rrunner.gateway.max-result-bytes=1000"))
                .havingRootCause()
                .withMessageContaining("MAX_RESULT_BYTES must be at least 1000000");
    }

    @Test
    void refusesToStartWithAKeepAliveIntervalThatIsNotPositive() {
        assertThatExceptionOfType(BeanCreationException.class)
                .isThrownBy(() -> bind("rrunner.gateway.token=t", "rrunner.gateway.stream-keep-alive=0s"))
                .havingRootCause()
                .withMessageContaining("STREAM_KEEP_ALIVE_INTERVAL must be positive");
    }

    @Test
    void neverPrintsTheToken() {
        GatewayProperties properties = bind("rrunner.gateway.token=t0ken-value");

        assertThat(properties.toString()).doesNotContain("t0ken-value").contains("token=****");
    }

    @Test
    void readsWebhookSecretsCommaSeparatedAndNeverPrintsThem() {
        GatewayProperties properties = bind("rrunner.gateway.token=t",
                "rrunner.gateway.webhook-secrets=whsec_first, whsec_second");

        assertThat(properties.webhookSecrets()).containsExactly("whsec_first", "whsec_second");
        assertThat(properties.toString()).doesNotContain("whsec_").contains("webhookSecrets=2");
    }

    private GatewayProperties bind(String... properties) {
        context.register(Settings.class);
        TestPropertyValues.of(DEFAULTS).and(properties).applyTo(context);
        context.refresh();
        return context.getBean(GatewayProperties.class);
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(GatewayProperties.class)
    static class Settings {
    }
}
