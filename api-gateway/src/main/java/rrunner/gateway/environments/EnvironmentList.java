package rrunner.gateway.environments;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The body of {@code GET /environments}.
 *
 * @param defaultEnvironment the environment of a request that names none
 * @param environments every enabled environment, the default first
 */
public record EnvironmentList(
        @JsonProperty("default") String defaultEnvironment,
        @JsonProperty("environments") List<EnvironmentView> environments) {
}
