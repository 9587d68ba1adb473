package rrunner.gateway.mcp;

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

/** Binds the MCP session bounds as the app does; a bad one stops startup with a message naming the variable. */
class McpPropertiesTest {

    private final AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();

    @AfterEach
    void closeContext() {
        context.close();
    }

    @Test
    void bindsValidSettings() {
        McpProperties properties = bind("rrunner.mcp.session-idle-timeout=30m", "rrunner.mcp.max-sessions=1000");

        assertThat(properties.sessionIdleTimeout()).isEqualTo(Duration.ofMinutes(30));
        assertThat(properties.maxSessions()).isEqualTo(1000);
    }

    @Test
    void refusesToStartWithNoRoomForASession() {
        assertThatExceptionOfType(BeanCreationException.class)
                .isThrownBy(() -> bind("rrunner.mcp.session-idle-timeout=30m", "rrunner.mcp.max-sessions=0"))
                .havingRootCause()
                .isInstanceOf(BindValidationException.class)
                .withMessageContaining("MCP_MAX_SESSIONS must be at least 1");
    }

    @Test
    void refusesToStartWithAnIdleTimeoutUnderASecond() {
        assertThatExceptionOfType(BeanCreationException.class)
                .isThrownBy(() -> bind("rrunner.mcp.session-idle-timeout=500ms", "rrunner.mcp.max-sessions=1"))
                .havingRootCause()
                .isInstanceOf(BindValidationException.class)
                .withMessageContaining("MCP_SESSION_IDLE_TIMEOUT must be at least a second");
    }

    private McpProperties bind(String... properties) {
        TestPropertyValues.of(properties).applyTo(context);
        context.register(Config.class);
        context.refresh();
        return context.getBean(McpProperties.class);
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(McpProperties.class)
    static class Config {
    }
}
