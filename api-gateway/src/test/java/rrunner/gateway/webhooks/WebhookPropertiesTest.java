package rrunner.gateway.webhooks;

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

/** Binds the webhook settings as the app does; bad ones stop startup with a message naming the variable. */
class WebhookPropertiesTest {

    private static final String[] DEFAULTS = {
            "rrunner.webhooks.allow-http=false",
            "rrunner.webhooks.timeout=10s",
            "rrunner.webhooks.max-attempts=8",
            "rrunner.webhooks.max-age=24h",
            "rrunner.webhooks.retry-delay=30s",
            "rrunner.webhooks.max-retry-delay=1h",
            "rrunner.webhooks.poll-interval=1s"};

    private final AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();

    @AfterEach
    void closeContext() {
        context.close();
    }

    @Test
    void bindsTheAllowListAndLeasesAttemptsPastTwoTimeouts() {
        WebhookProperties properties = bind("rrunner.webhooks.allowed-cidrs=10.1.0.0/16, fd00::/8");

        assertThat(properties.allowed()).extracting(Cidr::toString)
                .containsExactly("10.1.0.0/16", "fd00:0:0:0:0:0:0:0/8");
        assertThat(properties.lease()).isEqualTo(Duration.ofSeconds(25));
    }

    @Test
    void refusesAnAllowListEntryThatIsNoCidr() {
        assertThatExceptionOfType(BeanCreationException.class)
                .isThrownBy(() -> bind("rrunner.webhooks.allowed-cidrs=intranet.example.com"))
                .havingRootCause()
                .isInstanceOf(BindValidationException.class)
                .withMessageContaining("WEBHOOK_ALLOWED_CIDRS must be comma-separated CIDR blocks");
    }

    @Test
    void refusesAFirstRetryDelayOverTheLongest() {
        assertThatExceptionOfType(BeanCreationException.class)
                .isThrownBy(() -> bind("rrunner.webhooks.retry-delay=2h"))
                .havingRootCause()
                .withMessageContaining("WEBHOOK_RETRY_DELAY must not be above WEBHOOK_MAX_RETRY_DELAY");
    }

    @Test
    void refusesNoAttemptsAtAll() {
        assertThatExceptionOfType(BeanCreationException.class)
                .isThrownBy(() -> bind("rrunner.webhooks.max-attempts=0"))
                .havingRootCause()
                .withMessageContaining("WEBHOOK_MAX_ATTEMPTS must be at least 1");
    }

    @Test
    void refusesATimeoutThatIsNotPositive() {
        assertThatExceptionOfType(BeanCreationException.class)
                .isThrownBy(() -> bind("rrunner.webhooks.timeout=0s"))
                .havingRootCause()
                .withMessageContaining("must be positive");
    }

    private WebhookProperties bind(String... properties) {
        context.register(Settings.class);
        TestPropertyValues.of(DEFAULTS).and(properties).applyTo(context);
        context.refresh();
        return context.getBean(WebhookProperties.class);
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(WebhookProperties.class)
    static class Settings {
    }
}
