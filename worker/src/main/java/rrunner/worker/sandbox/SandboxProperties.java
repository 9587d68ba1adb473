package rrunner.worker.sandbox;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The confinement every job's container gets. The image, memory and CPU limits are not here: they come from the
 * job's environment and the limits the gateway resolved for it ({@code rrunner.common.environment}).
 *
 * @param user {@code RUNNER_CONTAINER_USER}: numeric {@code uid:gid} the script runs as; numeric because the
 *     workspace tmpfs is mounted with this owner before any user database is consulted
 * @param pidsLimit {@code RUNNER_PIDS_LIMIT}: most processes and threads the container may hold at once
 * @param nofile {@code RUNNER_NOFILE_LIMIT}: open-files limit, soft and hard
 * @param workspaceSize {@code RUNNER_WORKSPACE_SIZE}: size of the tmpfs-backed {@code /workspace}, which also
 *     bounds how many artifact bytes are ever read back
 * @param tmpSize {@code RUNNER_TMP_SIZE}: size of the {@code /tmp} tmpfs (R's temp files and {@code HOME})
 * @param maxOutputBytes {@code RUNNER_MAX_OUTPUT_BYTES}: stdout and stderr are each kept up to this size,
 *     then cut with a visible marker
 * @param runtime {@code RUNNER_CONTAINER_RUNTIME}: OCI runtime such as {@code runsc}; empty means Docker's default
 * @param collectTimeout {@code RUNNER_COLLECT_TIMEOUT}: how long reading a finished script's files may take; the
 *     archive stream is cut then and the result carries what was read
 */
@Validated
@ConfigurationProperties("rrunner.sandbox")
public record SandboxProperties(
        @NotNull @Pattern(regexp = "\\d+(:\\d+)?",
                message = "must be a numeric uid or uid:gid") String user,
        @Min(16) long pidsLimit,
        @Min(64) int nofile,
        @NotNull DataSize workspaceSize,
        @NotNull DataSize tmpSize,
        @NotNull DataSize maxOutputBytes,
        @NotNull String runtime,
        @NotNull Duration collectTimeout) {

    /** Zero sizes would disable the workspace or the output. */
    @AssertTrue(message = "workspaceSize, tmpSize and maxOutputBytes must be positive")
    public boolean isSizesValid() {
        return workspaceSize != null && workspaceSize.toBytes() > 0
                && tmpSize != null && tmpSize.toBytes() > 0
                && maxOutputBytes != null && maxOutputBytes.toBytes() > 0;
    }

    @AssertTrue(message = "RUNNER_COLLECT_TIMEOUT must be positive")
    public boolean isCollectTimeoutValid() {
        return collectTimeout != null && !collectTimeout.isNegative() && !collectTimeout.isZero();
    }

    /**
     * Root in the container is root on the host for anything a kernel bug lets through, and owns the workspace
     * no matter what its mount says; no deployment needs it for R.
     */
    @AssertTrue(message = "RUNNER_CONTAINER_USER must not be 0 (root): scripts are untrusted code")
    public boolean isUserNotRoot() {
        return user == null || !user.matches("\\d+(:\\d+)?") || uid() != 0;
    }

    /**
     * The largest file a script may write anywhere ({@code RLIMIT_FSIZE}): a little more than the larger of its two
     * writable mounts, so a real file still meets "no space left" first, as a catchable R error, and only a sparse
     * file claiming more than any mount holds gets SIGXFSZ.
     */
    public long maxFileBytes() {
        return Math.max(workspaceSize.toBytes(), tmpSize.toBytes()) + DataSize.ofMegabytes(1).toBytes();
    }

    public int uid() {
        return Integer.parseInt(user.split(":", 2)[0]);
    }

    /** The gid, or the uid when {@link #user} names none (as {@code docker run --user 1000} would). */
    public int gid() {
        String[] parts = user.split(":", 2);
        return Integer.parseInt(parts.length == 2 ? parts[1] : parts[0]);
    }
}
