package rrunner.common.environment;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The server's limits: what a request gets when neither it nor its environment says otherwise, and the most any
 * environment may allow.
 *
 * @param defaults {@code RUN_TIMEOUT_SECONDS}, {@code RUNNER_MEMORY_LIMIT}, {@code RUNNER_CPU_LIMIT}
 * @param max {@code MAX_TIMEOUT_SECONDS}, {@code MAX_MEMORY_LIMIT}, {@code MAX_CPU_LIMIT}
 */
@Validated
@ConfigurationProperties("rrunner.limits")
public record LimitsProperties(@NotNull @Valid LimitSettings defaults, @NotNull @Valid LimitSettings max) {

    @AssertTrue(message = "the server's default and maximum limits must each give timeout-seconds, memory and cpus")
    public boolean isComplete() {
        return defaults == null || max == null || defaults.complete() && max.complete();
    }
}
