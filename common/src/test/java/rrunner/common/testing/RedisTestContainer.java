package rrunner.common.testing;

import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

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

    public static String url(GenericContainer<?> redis) {
        return "redis://" + redis.getHost() + ":" + redis.getMappedPort(6379);
    }
}
