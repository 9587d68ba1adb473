package rrunner.worker.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import rrunner.common.environment.Environment;
import rrunner.worker.testing.DockerSandboxes;
import rrunner.worker.testing.TestOwner;
import rrunner.worker.testing.WorkerSettings;

/** The probe must see the difference between a sandbox whose R waits for its script and one without R yet. */
class ScriptWaitProbeIT {

    private static final SandboxProperties SETTINGS = WorkerSettings.sandbox();

    @RegisterExtension
    static final DockerSandboxes SANDBOXES = DockerSandboxes.withConnections(8);

    private final DockerClient docker = SANDBOXES.client();
    private final String workerId = SANDBOXES.workerId("probe");

    @Test
    void seesRWaitingForItsScriptOnlyOnceItIsThere() {
        ContainerFactory containers = new ContainerFactory(docker, SETTINGS);
        ScriptWaitProbe probe = new ScriptWaitProbe(docker);
        Environment environment = WorkerSettings.defaultEnvironment();
        String id = containers.create(SandboxLabels.forPool(TestOwner.of(workerId), Instant.now()),
                environment.image(), environment.defaults());
        try {
            containers.start(id);
            assertThat(probe.waiting(id)).as("keeper only, no R").isFalse();

            try (AttachedExec attached = new ScriptExec(docker, SETTINGS).attach(id)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> probe.waiting(id));
            }
        } finally {
            containers.remove(id);
        }
    }
}
