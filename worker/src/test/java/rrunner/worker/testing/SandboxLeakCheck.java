package rrunner.worker.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.ListVolumesResponse;
import com.github.dockerjava.api.model.Container;
import java.util.List;
import java.util.Map;
import rrunner.worker.sandbox.SandboxLabels;

/**
 * Asserts that nothing a test's runner created is left behind. Scoped to the test's own worker id because other
 * builds may share the Docker engine and have sandboxes of their own running.
 */
public final class SandboxLeakCheck {

    private SandboxLeakCheck() {
    }

    public static List<Container> containersOf(DockerClient docker, String workerId) {
        return docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(SandboxLabels.MANAGED, "true", SandboxLabels.WORKER, workerId))
                .exec();
    }

    /**
     * Containers of the worker that run or ran a job: cold ones, and pool containers a job took. A worker whose
     * warm pool is on keeps its idle pool containers between jobs, so checks made while it runs look for these.
     */
    public static List<Container> jobContainersOf(DockerClient docker, String workerId) {
        return containersOf(docker, workerId).stream()
                .filter(c -> SandboxLabels.jobOf(c.getLabels(), c.getNames() == null ? List.of()
                        : List.of(c.getNames())).isPresent())
                .toList();
    }

    public static void assertNothingLeft(DockerClient docker, String workerId) {
        assertThat(containersOf(docker, workerId)).as("containers left by worker %s", workerId).isEmpty();
        ListVolumesResponse volumes = docker.listVolumesCmd()
                .withFilter("label", List.of(SandboxLabels.MANAGED_FILTER, SandboxLabels.WORKER + "=" + workerId))
                .exec();
        assertThat(volumes.getVolumes() == null ? List.of() : volumes.getVolumes())
                .as("volumes left by worker %s", workerId).isEmpty();
    }
}
