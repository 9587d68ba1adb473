package rrunner.worker.sandbox;

import com.github.dockerjava.api.DockerClient;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import rrunner.common.job.Artifact;
import rrunner.common.job.JobSpec;

/** Reads a finished script's workspace as one tar archive through the Docker API, parsed in memory. */
final class WorkspaceReader {

    // why: tar headers and padding on top of the file bytes the workspace size already bounds
    private static final long ARCHIVE_OVERHEAD_BYTES = 1 << 20;

    private final DockerClient docker;
    private final long readBudget;
    private final ArtifactMetrics metrics;

    WorkspaceReader(DockerClient docker, SandboxProperties settings, ArtifactMetrics metrics) {
        this.docker = docker;
        this.readBudget = settings.workspaceSize().toBytes() + ARCHIVE_OVERHEAD_BYTES;
        this.metrics = metrics;
    }

    /**
     * Call once the script's exec ended and the container is frozen ({@link ContainerFactory#freeze}), so no leftover
     * process writes while the archive streams; the container must still exist, since the workspace dies with it.
     */
    List<Artifact> read(String containerId, JobSpec spec) {
        try (InputStream tar = docker.copyArchiveFromContainerCmd(containerId, ContainerFactory.WORKSPACE + "/.")
                .exec()) {
            ArtifactArchive.Contents contents =
                    ArtifactArchive.read(tar, spec.maxArtifactCount(), spec.maxArtifactBytes(), readBudget);
            metrics.record(contents.skipped());
            return contents.artifacts();
        } catch (IOException e) {
            throw new SandboxUnavailableException("reading the workspace failed: " + e.getMessage(), e);
        }
    }
}
