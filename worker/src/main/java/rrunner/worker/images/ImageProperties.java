package rrunner.worker.images;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * How the execution image is kept current.
 *
 * @param pullPolicy {@code RUNNER_PULL_POLICY}: {@code always}, {@code if-missing} or {@code interval}
 * @param pullInterval {@code RUNNER_PULL_INTERVAL}: with {@code interval}, the least time between two pulls
 *     of one image; also how often a failing pull is reported while a local copy serves
 * @param pullTimeout {@code RUNNER_PULL_TIMEOUT}: longest one pull attempt may take before it counts as failed
 */
@Validated
@ConfigurationProperties("rrunner.images")
public record ImageProperties(
        @NotNull PullPolicy pullPolicy,
        @NotNull Duration pullInterval,
        @NotNull Duration pullTimeout) {
}
