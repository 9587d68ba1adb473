package rrunner.gateway.playground;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * @param enabled {@code PLAYGROUND_ENABLED}: serve the playground at {@code /playground}; off, those paths answer
 *     404 as any unknown path does
 */
@Validated
@ConfigurationProperties("rrunner.playground")
public record PlaygroundProperties(boolean enabled) {
}
