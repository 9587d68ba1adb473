package rrunner.common.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;

/** Queue settings with no sane meaning stop startup with a message naming the variable. */
class QueuePropertiesTest {

    @Test
    void aResultTtlUnderASecondStopsStartup() {
        AppRedisContext.with("redis://localhost:1", "").withPropertyValues("rrunner.queue.result-ttl=500ms")
                .run(context -> assertThat(context)
                        .getFailure()
                        .hasRootCauseInstanceOf(BindValidationException.class)
                        .rootCause().hasMessageContaining("RESULT_TTL must be at least 1s"));
    }
}
