package rrunner.gateway.tenants;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;
import java.util.List;

/**
 * What a tenant may use. Counts of 0 and maxima of null mean no cap of the tenant's own: the server's limits still
 * hold (its environments' maxima, {@code MAX_QUEUE_DEPTH}).
 *
 * @param maxRunning the most of its jobs workers may run at once (the fair scheduler's cap; 0: none)
 * @param maxQueued the most of its jobs that may wait for a worker; a submit over it answers 429
 * @param requestsPerMinute how many submissions (every {@code POST}) it may make a minute, with bursts up to as many
 * @param maxTimeoutSeconds the longest timeout it may ask for; null: its environment's maximum
 * @param maxMemoryMb the most memory it may ask for, in MiB; null: its environment's maximum
 * @param maxCpus the most CPUs it may ask for; null: its environment's maximum
 * @param environments the environments it may use; null: every one offered
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TenantLimits(
        @JsonProperty("max_running") int maxRunning,
        @JsonProperty("max_queued") int maxQueued,
        @JsonProperty("requests_per_minute") int requestsPerMinute,
        @JsonProperty("max_timeout_seconds") Integer maxTimeoutSeconds,
        @JsonProperty("max_memory_mb") Long maxMemoryMb,
        @JsonProperty("max_cpus") BigDecimal maxCpus,
        @JsonProperty("environments") List<String> environments) {

    /** The limits of a tenant the file does not cap: {@code RUNNER_TOKEN}'s, unless the file names {@code default}. */
    public static final TenantLimits NONE = new TenantLimits(0, 0, 0, null, null, null, null);

    public TenantLimits {
        environments = environments == null ? null : List.copyOf(environments);
    }

    /** Whether the tenant may run in the environment {@code name}. */
    public boolean allowsEnvironment(String name) {
        return environments == null || environments.contains(name);
    }
}
