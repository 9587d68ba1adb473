package rrunner.worker.testing;

import com.github.dockerjava.api.DockerClient;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import rrunner.worker.config.DockerClientConfiguration;

/**
 * The Docker engine for a test class: one real client, opened before the class and closed after it, and after each
 * test proof ({@link SandboxLeakCheck}) that no container or volume is left by any worker id handed out for that
 * test, as docker-java's own tests end with their leak detector. Register it as a static field, so the client spans
 * the class:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final DockerSandboxes SANDBOXES = DockerSandboxes.withConnections(16);
 *
 * final String workerId = SANDBOXES.workerId("it");
 * }</pre>
 *
 * Parameters of type {@link DockerClient} (constructors, lifecycle and test methods) get the client injected.
 * Its {@code AfterEachCallback} runs after the class's own {@code @AfterEach} methods, so those may still use
 * the sandboxes they check.
 */
public final class DockerSandboxes
        implements BeforeAllCallback, AfterAllCallback, AfterEachCallback, ParameterResolver {

    private final int maxConnections;
    private final List<String> workerIds = new CopyOnWriteArrayList<>();
    private volatile DockerClient client;

    private DockerSandboxes(int maxConnections) {
        this.maxConnections = maxConnections;
    }

    /** @param maxConnections above the streams a test keeps open at once (attach and logs), plus control calls */
    public static DockerSandboxes withConnections(int maxConnections) {
        return new DockerSandboxes(maxConnections);
    }

    public DockerClient client() {
        DockerClient current = client;
        if (current == null) {
            throw new IllegalStateException("no Docker client outside the test class; register "
                    + DockerSandboxes.class.getSimpleName() + " on a static field");
        }
        return current;
    }

    /**
     * A worker id no other test or build uses ({@code prefix-} and 8 random hex digits). Sandboxes are labelled
     * with their worker, so the check after the test sees only this test's sandboxes even on a shared engine.
     */
    public String workerId(String prefix) {
        String id = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        workerIds.add(id);
        return id;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        client = DockerClientConfiguration.create(maxConnections);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        try {
            workerIds.forEach(id -> SandboxLeakCheck.assertNothingLeft(client(), id));
        } finally {
            workerIds.clear();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        client.close();
        client = null;
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == DockerClient.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return client();
    }
}
