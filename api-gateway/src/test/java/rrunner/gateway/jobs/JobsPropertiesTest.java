package rrunner.gateway.jobs;

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
import org.springframework.http.HttpStatus;

/** Binds the job settings as the app does; a bad one stops startup with a message naming the variable. */
class JobsPropertiesTest {

    private final AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();

    @AfterEach
    void closeContext() {
        context.close();
    }

    @Test
    void bindsValidSettings() {
        JobsProperties properties = bind("rrunner.jobs.max-wait-seconds=60");

        assertThat(properties.maxWaitSeconds()).isEqualTo(60);
    }

    @Test
    void refusesToStartWithANegativeMaxWait() {
        assertThatExceptionOfType(BeanCreationException.class)
                .isThrownBy(() -> bind("rrunner.jobs.max-wait-seconds=-1"))
                .havingRootCause()
                .isInstanceOf(BindValidationException.class)
                .withMessageContaining("JOBS_MAX_WAIT_SECONDS must not be negative");
    }

    @Test
    void cutsLongPollsToTheMaximumAndRefusesWaitsThatAreNoWholeNumber() {
        JobsProperties properties = new JobsProperties(60);

        assertThat(properties.longPoll(null)).isEqualTo(Duration.ZERO);
        assertThat(properties.longPoll("0")).isEqualTo(Duration.ZERO);
        assertThat(properties.longPoll("30")).isEqualTo(Duration.ofSeconds(30));
        assertThat(properties.longPoll("3600")).isEqualTo(Duration.ofSeconds(60));
        for (String invalid : new String[] {"-1", "1.5", "soon", "99999999999999999999"}) {
            assertThatExceptionOfType(InvalidJobRequestException.class).isThrownBy(() -> properties.longPoll(invalid))
                    .satisfies(e -> assertThat(e.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST));
        }
    }

    private JobsProperties bind(String... properties) {
        TestPropertyValues.of(properties).applyTo(context);
        context.register(Config.class);
        context.refresh();
        return context.getBean(JobsProperties.class);
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(JobsProperties.class)
    static class Config {
    }
}
