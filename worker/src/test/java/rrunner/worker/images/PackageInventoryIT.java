package rrunner.worker.images;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import rrunner.common.system.ImageInventory;
import rrunner.worker.testing.DockerSandboxes;
import rrunner.worker.testing.TestOwner;
import rrunner.worker.testing.WorkerSettings;

class PackageInventoryIT {

    private static final String IMAGE = "r-runner-r-base:latest";

    @RegisterExtension
    static final DockerSandboxes SANDBOXES = DockerSandboxes.withConnections(16);

    private final DockerClient docker = SANDBOXES.client();
    private final String workerId = SANDBOXES.workerId("it");

    @Test
    void listsTheRVersionAndBasePackagesOfTheImage() {
        String imageId = docker.inspectImageCmd(IMAGE).exec().getId();
        PackageInventory inventory = new PackageInventory(docker, WorkerSettings.sandbox(),
                TestOwner.of(workerId));

        ImageInventory listed = inventory.of(WorkerSettings.defaultEnvironment(), imageId);

        assertThat(listed.image()).isEqualTo(IMAGE);
        assertThat(listed.imageId()).isEqualTo(imageId);
        assertThat(listed.rVersion()).startsWith("R version 4");
        assertThat(listed.packages()).contains("base", "stats", "utils", "grDevices").isSorted();
        assertThat(listed.versions()).containsKeys("base", "stats").hasSameSizeAs(listed.packages());
    }

    @Test
    void listsEachImageIdOnce() {
        String imageId = docker.inspectImageCmd(IMAGE).exec().getId();
        PackageInventory inventory = new PackageInventory(docker, WorkerSettings.sandbox(),
                TestOwner.of(workerId));

        assertThat(inventory.of(WorkerSettings.defaultEnvironment(), imageId))
                .isSameAs(inventory.of(WorkerSettings.defaultEnvironment(), imageId));
    }
}
