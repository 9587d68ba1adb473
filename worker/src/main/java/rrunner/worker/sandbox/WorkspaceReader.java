package rrunner.worker.sandbox;

import com.github.dockerjava.api.DockerClient;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import rrunner.common.job.Artifact;
import rrunner.common.job.JobSpec;

/**
 * Reads a finished script's workspace, only once no process of the script can run any more: what is returned is
 * what the script left, and no leftover writer races the archive stream. Killing the leftovers is the quick way;
 * when that can't be shown to have worked (leftovers holding every pid can keep the kill's exec from starting),
 * the container is frozen instead, which needs nothing from inside it.
 */
final class WorkspaceReader {

    // why: tar headers and padding on top of the file bytes the workspace size already bounds
    private static final long ARCHIVE_OVERHEAD_BYTES = 1 << 20;

    private final DockerClient docker;
    private final ContainerFactory containers;
    private final ScriptExec exec;
    private final long readBudget;
    private final ArtifactMetrics metrics;

    WorkspaceReader(DockerClient docker, ContainerFactory containers, ScriptExec exec, SandboxProperties settings,
            ArtifactMetrics metrics) {
        this.docker = docker;
        this.containers = containers;
        this.exec = exec;
        this.readBudget = settings.workspaceSize().toBytes() + ARCHIVE_OVERHEAD_BYTES;
        this.metrics = metrics;
    }

    /** Call after the script's exec ended; the container must still be up, since the workspace dies with it. */
    List<Artifact> read(String containerId, JobSpec spec) {
        if (spec.maxArtifactCount() == 0) {
            return List.of();
        }
        if (exec.killLeftovers(containerId)) {
            return archive(containerId, spec);
        }
        containers.freeze(containerId);
        try {
            return archive(containerId, spec);
        } finally {
            containers.thaw(containerId);
        }
    }

    private List<Artifact> archive(String containerId, JobSpec spec) {
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
