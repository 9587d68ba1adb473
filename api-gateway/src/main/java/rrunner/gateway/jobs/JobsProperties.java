package rrunner.gateway.jobs;

import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the async job API. Defaults live in {@code application.yaml}, next to the environment names.
 *
 * @param maxWaitSeconds {@code JOBS_MAX_WAIT_SECONDS}: the longest a {@code GET /jobs/{id}?wait=} long poll
 *     waits; larger waits are cut to it, 0 turns long polling off
 */
@Validated
@ConfigurationProperties("rrunner.jobs")
public record JobsProperties(
        @Min(value = 0, message = "JOBS_MAX_WAIT_SECONDS must not be negative") int maxWaitSeconds) {

    /**
     * How long a long poll that asked for {@code requestedSeconds} (absent: 0) waits; fails with 400 unless it is
     * a whole number, 0 or more.
     */
    Duration longPoll(String requestedSeconds) {
        if (requestedSeconds == null || requestedSeconds.isEmpty()) {
            return Duration.ZERO;
        }
        long seconds;
        try {
            seconds = Long.parseLong(requestedSeconds);
        } catch (NumberFormatException notANumber) {
            throw InvalidJobRequestException.invalidWait();
        }
        if (seconds < 0) {
            throw InvalidJobRequestException.invalidWait();
        }
        return Duration.ofSeconds(Math.min(seconds, maxWaitSeconds));
    }
}
