package rrunner.common.job;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The resource limits a job runs under, as applied (every value resolved: none is "default").
 *
 * @param timeoutSeconds wall-clock budget for the script
 * @param memoryMb memory limit of the sandbox in MiB (swap is the same, so none)
 * @param cpus CPU quota in cores
 */
public record Limits(
        @JsonProperty("timeout_seconds") int timeoutSeconds,
        @JsonProperty("memory_mb") long memoryMb,
        @JsonProperty("cpus") double cpus) {
}
