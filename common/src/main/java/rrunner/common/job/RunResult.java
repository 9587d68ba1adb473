package rrunner.common.job;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The response body of {@code POST /run}, byte-compatible with the reference runner.
 *
 * @param success {@code exitCode == 0}; a failing script is still a result, never an HTTP error
 * @param exitCode the R process's exit status; {@link #NO_EXIT_CODE} when the script never finished because
 *     the runtime failed (container could not start, job given up after its attempts)
 * @param runtimeStderr empty whenever the script started; the runtime's diagnostics otherwise
 * @param artifacts files the script wrote in its working directory, newest first
 */
public record RunResult(
        @JsonProperty("success") boolean success,
        @JsonProperty("exit_code") int exitCode,
        @JsonProperty("stdout") String stdout,
        @JsonProperty("stderr") String stderr,
        @JsonProperty("runtime_stderr") String runtimeStderr,
        @JsonProperty("artifacts") List<Artifact> artifacts) {

    public static final int NO_EXIT_CODE = -1;

    public RunResult {
        artifacts = List.copyOf(artifacts);
    }

    public static RunResult ofScript(int exitCode, String stdout, String stderr, List<Artifact> artifacts) {
        return new RunResult(exitCode == 0, exitCode, stdout, stderr, "", artifacts);
    }

    /** The script never ran to completion; {@code diagnostics} says why. */
    public static RunResult ofRuntimeFailure(String diagnostics) {
        return new RunResult(false, NO_EXIT_CODE, "", "", diagnostics, List.of());
    }
}
