package rrunner.common.job;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * What a caller asked to run, with the limits the gateway applied when it accepted the job. Limits travel
 * with the job so a worker enforces exactly what the accepting gateway promised, whatever its own config.
 *
 * @param script the R source, already checked against the script size limit
 * @param timeoutSeconds wall-clock budget for the script; the container is killed when it runs out
 * @param maxArtifactCount at most this many files are returned, newest first
 * @param maxArtifactBytes files larger than this are not returned
 */
public record JobSpec(
        @JsonProperty("script") String script,
        @JsonProperty("timeout_seconds") int timeoutSeconds,
        @JsonProperty("max_artifact_count") int maxArtifactCount,
        @JsonProperty("max_artifact_bytes") long maxArtifactBytes) {

    public JobSpec {
        Objects.requireNonNull(script, "script");
        if (timeoutSeconds < 1) {
            throw new IllegalArgumentException("timeoutSeconds must be at least 1");
        }
        if (maxArtifactCount < 0 || maxArtifactBytes < 0) {
            throw new IllegalArgumentException("artifact limits must not be negative");
        }
    }
}
