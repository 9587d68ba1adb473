package rrunner.worker.images;

import rrunner.common.system.ImageInventory;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import rrunner.worker.config.DockerClientConfiguration;
import rrunner.worker.sandbox.SandboxLeakCheck;
import rrunner.worker.sandbox.TestOwner;
import rrunner.worker.testing.WorkerSettings;

class PackageInventoryIT {

    private static final String WORKER_ID = "it-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String IMAGE = "r-runner-r-base:latest";

    private static DockerClient docker;

    @BeforeAll
    static void connect() {
        docker = DockerClientConfiguration.create(16);
    }

    @AfterAll
    static void disconnect() throws Exception {
        docker.close();
    }

    @AfterEach
    void leavesNoContainerOrVolume() {
        SandboxLeakCheck.assertNothingLeft(docker, WORKER_ID);
    }

    @Test
    void listsTheRVersionAndBasePackagesOfTheImage() {
        String imageId = docker.inspectImageCmd(IMAGE).exec().getId();
        PackageInventory inventory = new PackageInventory(docker, WorkerSettings.sandbox(),
                TestOwner.of(WORKER_ID));

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
        PackageInventory inventory = new PackageInventory(docker, WorkerSettings.sandbox(),
                TestOwner.of(WORKER_ID));

        assertThat(inventory.of(IMAGE, imageId)).isSameAs(inventory.of(IMAGE, imageId));
    }
}
