package rrunner.common.environment;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What one worker says about one environment with its heartbeat.
 *
 * @param status whether it can run the environment's jobs now
 * @param imageId the id of the image its sandboxes are made from now; null until the image is present
 * @param rVersion R's version string in that image; null until the worker has listed the image
 */
public record EnvironmentReport(
        @JsonProperty("status") EnvironmentStatus status,
        @JsonProperty("image_id") @JsonInclude(JsonInclude.Include.NON_NULL) String imageId,
        @JsonProperty("r_version") @JsonInclude(JsonInclude.Include.NON_NULL) String rVersion) {
}
