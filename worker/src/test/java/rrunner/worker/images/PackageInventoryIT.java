package rrunner.worker.images;

import rrunner.common.system.ImageInventory;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import rrunner.worker.sandbox.SandboxProperties;
import rrunner.worker.testing.DockerSandboxes;
import rrunner.worker.testing.TestOwner;

class PackageInventoryIT {

    private static final String IMAGE = "r-runner-r-base:latest";

    @RegisterExtension
    static final DockerSandboxes SANDBOXES = DockerSandboxes.withConnections(16);

    private final DockerClient docker = SANDBOXES.client();
    private final String workerId = SANDBOXES.workerId("it");

    @Test
    void listsTheRVersionAndBasePackagesOfTheImage() {
        String imageId = docker.inspectImageCmd(IMAGE).exec().getId();
        PackageInventory inventory = new PackageInventory(docker, SandboxProperties.defaults(),
                TestOwner.of(workerId));

        ImageInventory listed = inventory.of(IMAGE, imageId);

        assertThat(listed.image()).isEqualTo(IMAGE);
        assertThat(listed.imageId()).isEqualTo(imageId);
        assertThat(listed.rVersion()).startsWith("R version 4");
        assertThat(listed.packages()).contains("base", "stats", "utils", "grDevices").isSorted();
        assertThat(listed.versions()).containsKeys("base", "stats").hasSameSizeAs(listed.packages());
    }

    @Test
    void listsEachImageIdOnce() {
        String imageId = docker.inspectImageCmd(IMAGE).exec().getId();
        PackageInventory inventory = new PackageInventory(docker, SandboxProperties.defaults(),
                TestOwner.of(workerId));

        assertThat(inventory.of(IMAGE, imageId)).isSameAs(inventory.of(IMAGE, imageId));
    }
}
