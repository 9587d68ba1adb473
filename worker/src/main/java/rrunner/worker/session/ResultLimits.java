package rrunner.worker.session;

import rrunner.common.job.JobSpec;

/**
 * What one exec's result may hold, as a one-shot job's spec carries it; its output is capped by the sandbox
 * settings' {@code maxOutputBytes}, as a one-shot run's is.
 *
 * @param maxArtifactCount at most this many changed files are returned, newest first
 * @param maxArtifactBytes files larger than this are not returned
 * @param maxResultBytes the most the whole result may take, JSON-encoded
 */
public record ResultLimits(int maxArtifactCount, long maxArtifactBytes, long maxResultBytes) {

    public ResultLimits {
        if (maxArtifactCount < 0 || maxArtifactBytes < 0 || maxResultBytes <= 0) {
            throw new IllegalArgumentException("artifact limits must not be negative, the result limit positive");
        }
    }

    /** The limits a job's spec gives its result. */
    public static ResultLimits of(JobSpec spec) {
        return new ResultLimits(spec.maxArtifactCount(), spec.maxArtifactBytes(), spec.maxResultBytes());
    }
}
