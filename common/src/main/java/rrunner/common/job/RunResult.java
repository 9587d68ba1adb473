package rrunner.common.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The response body of {@code POST /run}, byte-compatible with the reference runner plus the skipped files.
 *
 * @param success {@code exitCode == 0}; a failing script is still a result, never an HTTP error
 * @param exitCode the R process's exit status; {@link #NO_EXIT_CODE} when the script never finished because
 *     the runtime failed (container could not start, job given up after its attempts)
 * @param runtimeStderr empty whenever the script started; the runtime's diagnostics otherwise
 * @param artifacts files the script wrote in its working directory, newest first
 * @param skippedArtifacts files left out of {@code artifacts} and why, at most {@link #MAX_LISTED_SKIPS}; written
 *     only when not empty, so a result that left nothing out is byte for byte the reference runner's
 * @param skippedArtifactCount how many files were left out in all, listed or not; null (and not written) for none
 * @param provenance what produced the result (environment, image, R version, limits, input files); null (and not
 *     written) where no sandbox ran the script, and in results stored by older workers
 */
public record RunResult(
        @JsonProperty("success") boolean success,
        @JsonProperty("exit_code") int exitCode,
        @JsonProperty("stdout") String stdout,
        @JsonProperty("stderr") String stderr,
        @JsonProperty("runtime_stderr") String runtimeStderr,
        @JsonProperty("artifacts") List<Artifact> artifacts,
        @JsonProperty("skipped_artifacts") @JsonInclude(JsonInclude.Include.NON_EMPTY)
        List<SkippedArtifact> skippedArtifacts,
        @JsonProperty("skipped_artifact_count") @JsonInclude(JsonInclude.Include.NON_NULL)
        Integer skippedArtifactCount,
        @JsonProperty("provenance") @JsonInclude(JsonInclude.Include.NON_NULL) Provenance provenance) {

    public static final int NO_EXIT_CODE = -1;

    /** Bounds the list, not the count: a script can leave a hundred thousand files behind. */
    public static final int MAX_LISTED_SKIPS = 100;

    public RunResult {
        artifacts = List.copyOf(artifacts);
        // why null: a result stored by a worker from before skipped files were listed has neither field, and
        // clients decode it with mappers that refuse a missing primitive
        skippedArtifacts = skippedArtifacts == null ? List.of() : List.copyOf(skippedArtifacts);
        int count = Math.max(skippedArtifactCount == null ? 0 : skippedArtifactCount, skippedArtifacts.size());
        skippedArtifactCount = count == 0 ? null : count;
    }

    /** A result that left nothing out. */
    public RunResult(boolean success, int exitCode, String stdout, String stderr, String runtimeStderr,
            List<Artifact> artifacts) {
        this(success, exitCode, stdout, stderr, runtimeStderr, artifacts, List.of(), null, null);
    }

    /** This result, saying what produced it. */
    public RunResult withProvenance(Provenance applied) {
        return new RunResult(success, exitCode, stdout, stderr, runtimeStderr, artifacts, skippedArtifacts,
                skippedArtifactCount, applied);
    }

    public static RunResult ofScript(int exitCode, String stdout, String stderr, List<Artifact> artifacts) {
        return new RunResult(exitCode == 0, exitCode, stdout, stderr, "", artifacts);
    }

    /** The script never ran to completion; {@code diagnostics} says why. */
    public static RunResult ofRuntimeFailure(String diagnostics) {
        return new RunResult(false, NO_EXIT_CODE, "", "", diagnostics, List.of());
    }
}
