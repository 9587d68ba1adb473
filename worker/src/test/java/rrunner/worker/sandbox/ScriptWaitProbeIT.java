package rrunner.worker.sandbox;

import rrunner.worker.config.DockerClientConfiguration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import rrunner.worker.testing.WorkerSettings;

/** The probe must see the difference between a sandbox whose R waits for its script and one without R yet. */
class ScriptWaitProbeIT {

    private static final SandboxProperties SETTINGS = WorkerSettings.sandbox();

    private static DockerClient docker;

    private final String workerId = "probe-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void connect() {
        docker = DockerClientConfiguration.create(8);
    }

    @AfterAll
    static void disconnect() throws Exception {
        docker.close();
    }

    @AfterEach
    void leavesNothing() {
        SandboxLeakCheck.assertNothingLeft(docker, workerId);
    }

    @Test
    void seesRWaitingForItsScriptOnlyOnceItIsThere() {
        ContainerFactory containers = new ContainerFactory(docker, SETTINGS);
        ScriptWaitProbe probe = new ScriptWaitProbe(docker);
        String id = containers.create(SandboxLabels.forPool(TestOwner.of(workerId), Instant.now()));
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
