package rrunner.worker.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import java.time.Duration;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.junit.jupiter.SpringExtension;
import rrunner.worker.config.WorkerIdentity;

/**
 * For tests of a whole worker (its Spring context): records its job containers during each test, and afterwards
 * checks that it left none. Runs after the test class's own {@code @AfterEach} methods, so a test can first release
 * whatever holds a job. Register it on an instance field with {@code @RegisterExtension}.
 */
public final class WorkerJobContainers implements BeforeEachCallback, AfterEachCallback {

    /** why waiting: a job's container is removed just after its result is written. */
    private static final Duration REMOVAL_WAIT = Duration.ofSeconds(30);

    private JobContainers recorded;

    /** What the engine reported during the current test. */
    public JobContainers recorded() {
        return recorded;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        recorded = JobContainers.record(docker(context));
    }

    /** why jobs only: the warm pool keeps idle sandboxes between jobs, which the context removes when it closes. */
    @Override
    public void afterEach(ExtensionContext context) {
        DockerClient docker = docker(context);
        String workerId = worker(context).getBean(WorkerIdentity.class).id();
        try {
            await().atMost(REMOVAL_WAIT).untilAsserted(() ->
                    assertThat(SandboxLeakCheck.jobContainersOf(docker, workerId))
                            .as("job containers left by worker %s", workerId).isEmpty());
        } finally {
            recorded.close();
        }
    }

    private static DockerClient docker(ExtensionContext context) {
        return worker(context).getBean(DockerClient.class);
    }

    private static ApplicationContext worker(ExtensionContext context) {
        return SpringExtension.getApplicationContext(context);
    }
}
