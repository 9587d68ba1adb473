package rrunner.common.session;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;
import java.util.Objects;
import rrunner.common.job.Limits;

/**
 * What a session was opened with, as the gateway resolved it: every exec in it runs under these limits.
 *
 * @param environment the environment's name
 * @param limits the applied limits; {@code timeout_seconds} bounds each exec
 * @param ttlSeconds idle time after which the session expires; each exec and keepalive starts it again
 * @param metadata the caller's own labels, returned as given
 */
public record SessionSpec(
        @JsonProperty("environment") String environment,
        @JsonProperty("limits") Limits limits,
        @JsonProperty("ttl_seconds") long ttlSeconds,
        @JsonProperty("metadata") @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> metadata) {

    public SessionSpec {
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(limits, "limits");
        if (ttlSeconds < 1) {
            throw new IllegalArgumentException("ttlSeconds must be at least 1");
        }
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
}
