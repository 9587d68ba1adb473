package rrunner.common.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Objects;

/**
 * What a caller asked to run, with the limits the gateway applied when it accepted the job. Limits travel
 * with the job so a worker enforces exactly what the accepting gateway promised, whatever its own config.
 *
 * @param script the R source, already checked against the script size limit
 * @param timeoutSeconds wall-clock budget for the script; the container is killed when it runs out
 * @param maxArtifactCount at most this many files are returned, newest first
 * @param maxArtifactBytes files larger than this are not returned
 * @param maxResultBytes the most the whole result may take, JSON-encoded: stdout and stderr first, then as many
 *     artifacts, newest first, as fit; a job from a gateway that sent none gets {@link #DEFAULT_MAX_RESULT_BYTES}
 * @param environment the named environment to run in; null for the worker's default (and from older gateways)
 * @param memoryMb the sandbox's memory limit in MiB; 0 for the worker's configured one (older gateways)
 * @param cpus the sandbox's CPU quota in cores; 0 for the worker's configured one (older gateways)
 * @param files files to place in the working directory before the script runs
 * @param session the id of the session whose live R runs the script; null for a fresh sandbox
 * @param tenant the tenant that submitted the job, its owner: no other tenant sees it; a job from a gateway older
 *     than tenants has none and is {@link #DEFAULT_TENANT}'s
 */
public record JobSpec(
        @JsonProperty("script") String script,
        @JsonProperty("timeout_seconds") int timeoutSeconds,
        @JsonProperty("max_artifact_count") int maxArtifactCount,
        @JsonProperty("max_artifact_bytes") long maxArtifactBytes,
        @JsonProperty("max_result_bytes") long maxResultBytes,
        @JsonProperty("environment") @JsonInclude(JsonInclude.Include.NON_NULL) String environment,
        @JsonProperty("memory_mb") @JsonInclude(JsonInclude.Include.NON_DEFAULT) long memoryMb,
        @JsonProperty("cpus") @JsonInclude(JsonInclude.Include.NON_DEFAULT) double cpus,
        @JsonProperty("files") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<InputFile> files,
        @JsonProperty("session") @JsonInclude(JsonInclude.Include.NON_NULL) String session,
        @JsonProperty("tenant") String tenant) {

    /** The tenant {@code RUNNER_TOKEN} authenticates, and the owner of every job stored before tenants. */
    public static final String DEFAULT_TENANT = "default";

    /**
     * {@code MAX_RESULT_BYTES}' default (the gateway's {@code application.yaml} names the same number): ten
     * artifacts of the default 5 MB, base64-encoded, with room for stdout and stderr.
     */
    public static final long DEFAULT_MAX_RESULT_BYTES = 70_000_000;

    /**
     * The longest {@code RUN_TIMEOUT_SECONDS} a gateway accepts: a script's output stream may be silent for its whole
     * run, and the worker's Docker client takes a stream silent for longer than its response timeout (this plus a
     * margin) for a daemon that stopped answering.
     */
    public static final int MAX_TIMEOUT_SECONDS = 600;

    public JobSpec {
        Objects.requireNonNull(script, "script");
        if (timeoutSeconds < 1) {
            throw new IllegalArgumentException("timeoutSeconds must be at least 1");
        }
        if (maxArtifactCount < 0 || maxArtifactBytes < 0) {
            throw new IllegalArgumentException("artifact limits must not be negative");
        }
        if (maxResultBytes <= 0) {
            // why: JSON written by a gateway from before the cap has no such field, which reads as 0
            maxResultBytes = DEFAULT_MAX_RESULT_BYTES;
        }
        if (memoryMb < 0 || cpus < 0) {
            throw new IllegalArgumentException("memoryMb and cpus must not be negative (0: the worker's own)");
        }
        files = files == null ? List.of() : List.copyOf(files);
        tenant = tenant == null ? DEFAULT_TENANT : tenant;
    }

    /** A spec of {@link #DEFAULT_TENANT}'s, in the session {@code session} (null for a fresh sandbox). */
    public JobSpec(String script, int timeoutSeconds, int maxArtifactCount, long maxArtifactBytes,
            long maxResultBytes, String environment, long memoryMb, double cpus, List<InputFile> files,
            String session) {
        this(script, timeoutSeconds, maxArtifactCount, maxArtifactBytes, maxResultBytes, environment, memoryMb, cpus,
                files, session, DEFAULT_TENANT);
    }

    /** A spec for a fresh sandbox. */
    public JobSpec(String script, int timeoutSeconds, int maxArtifactCount, long maxArtifactBytes,
            long maxResultBytes, String environment, long memoryMb, double cpus, List<InputFile> files) {
        this(script, timeoutSeconds, maxArtifactCount, maxArtifactBytes, maxResultBytes, environment, memoryMb, cpus,
                files, null);
    }

    /** A spec in the default environment, with the worker's own memory and CPU limits and no input files. */
    public JobSpec(String script, int timeoutSeconds, int maxArtifactCount, long maxArtifactBytes,
            long maxResultBytes) {
        this(script, timeoutSeconds, maxArtifactCount, maxArtifactBytes, maxResultBytes, null, 0, 0, List.of());
    }

    /** A spec with the default result cap. */
    public JobSpec(String script, int timeoutSeconds, int maxArtifactCount, long maxArtifactBytes) {
        this(script, timeoutSeconds, maxArtifactCount, maxArtifactBytes, DEFAULT_MAX_RESULT_BYTES);
    }
}
