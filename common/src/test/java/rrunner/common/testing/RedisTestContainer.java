package rrunner.common.testing;

import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * A real Redis for tests, from our own image: there is no registry to pull {@code redis} from, so
 * {@code images/build.sh} builds {@code r-runner-redis} from Debian's package.
 */
public final class RedisTestContainer {

    public static final String IMAGE = "r-runner-redis:latest";

    private RedisTestContainer() {
    }

    @SuppressWarnings("resource")
    public static GenericContainer<?> create() {
        return new GenericContainer<>(DockerImageName.parse(IMAGE))
                .withExposedPorts(6379)
                .withLabel("rrunner.test", "redis")
                .waitingFor(Wait.forLogMessage(".*Ready to accept connections.*", 1));
    }

    /**
     * A Redis that accepts only TLS (on the usual exposed port, no plain port) with the server certificate of
     * {@code tls}, and only clients that send {@code password}. Clients need no certificate of their own.
     */
    @SuppressWarnings("resource")
    public static GenericContainer<?> createWithTls(TlsFiles tls, String password) {
        return create()
                // why 0644: the image runs Redis as its own user, which must read the key
                .withCopyFileToContainer(MountableFile.forHostPath(tls.caCertificate(), 0644), "/tls/ca.crt")
                .withCopyFileToContainer(MountableFile.forHostPath(tls.serverCertificate(), 0644), "/tls/server.crt")
                .withCopyFileToContainer(MountableFile.forHostPath(tls.serverKey(), 0644), "/tls/server.key")
                .withCommand("redis-server", "--protected-mode", "no", "--bind", "0.0.0.0",
                        "--port", "0", "--tls-port", "6379", "--tls-auth-clients", "no",
                        "--tls-cert-file", "/tls/server.crt", "--tls-key-file", "/tls/server.key",
                        "--tls-ca-cert-file", "/tls/ca.crt", "--requirepass", password);
    }

    /**
     * The one Redis that test classes only reading and writing data share within a JVM, so each doesn't wait for a
     * container of its own; a test that pauses, stops or reconfigures Redis takes its own from {@link #create()}.
     * Started on first use and never stopped here: Testcontainers removes it when the JVM exits.
     */
    public static GenericContainer<?> shared() {
        return Shared.REDIS;
    }

    public static String url(GenericContainer<?> redis) {
        return "redis://" + redis.getHost() + ":" + redis.getMappedPort(6379);
    }

    /** Holds the shared container, so it starts when first asked for rather than when this class loads. */
    private static final class Shared {

        private static final GenericContainer<?> REDIS = started();

        @SuppressWarnings("resource")
        private static GenericContainer<?> started() {
            GenericContainer<?> redis = create();
            redis.start();
            return redis;
        }
    }
}
