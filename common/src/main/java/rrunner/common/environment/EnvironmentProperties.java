package rrunner.common.environment;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The environments a deployment offers. Shipped definitions ({@code r-base}, {@code r-full}) live in
 * shared-settings.yaml; an operator adds their own in {@code RUNNER_ENVIRONMENTS_FILE}.
 *
 * @param defaultEnvironment {@code RUNNER_DEFAULT_ENVIRONMENT}: the environment of a request that names none
 * @param enabled {@code RUNNER_ENVIRONMENTS}: which of the defined environments this deployment serves, comma
 *     separated; workers keep their images and warm sandboxes, the gateway accepts them
 * @param definitions every environment a deployment may enable, by name
 */
@Validated
@ConfigurationProperties("rrunner.environments")
public record EnvironmentProperties(
        @NotBlank String defaultEnvironment,
        @NotEmpty List<@NotBlank String> enabled,
        @NotNull Map<String, @Valid EnvironmentDefinition> definitions) {
}
