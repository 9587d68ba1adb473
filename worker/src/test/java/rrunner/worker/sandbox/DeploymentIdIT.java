package rrunner.worker.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import rrunner.common.queue.RedisKeys;
import rrunner.common.testing.RedisTestContainer;

/** Deployments are told apart by an id kept in their own Redis, not by their key prefix. */
@Testcontainers
class DeploymentIdIT {

    private static final RedisKeys SAME_PREFIX = new RedisKeys("rrunner");

    @Container
    static final GenericContainer<?> PRODUCTION = RedisTestContainer.create();
    @Container
    static final GenericContainer<?> STAGING = RedisTestContainer.create();

    private final RedisClient production = RedisClient.create(RedisTestContainer.url(PRODUCTION));
    private final RedisClient staging = RedisClient.create(RedisTestContainer.url(STAGING));
    private final StatefulRedisConnection<String, String> prod = production.connect();
    private final StatefulRedisConnection<String, String> stage = staging.connect();

    @AfterEach
    void close() {
        prod.sync().flushall();
        stage.sync().flushall();
        prod.close();
        stage.close();
        production.shutdown();
        staging.shutdown();
    }

    @Test
    void workersOfOneDeploymentShareItsIdAndAnotherDeploymentWithTheSamePrefixHasItsOwn() {
        DeploymentId first = DeploymentId.claim(SAME_PREFIX, prod.reactive());
        DeploymentId second = DeploymentId.claim(SAME_PREFIX, prod.reactive());
        DeploymentId elsewhere = DeploymentId.claim(SAME_PREFIX, stage.reactive());

        assertThat(second.value()).isEqualTo(first.value()).startsWith("rrunner-");
        assertThat(elsewhere.value()).isNotEqualTo(first.value());
        assertThat(SandboxOwner.deploymentScope(elsewhere.value()))
                .isNotEqualTo(SandboxOwner.deploymentScope(first.value()));
    }

    @Test
    void aWorkerWritesItsIdBackAfterRedisLostIt() {
        DeploymentId id = DeploymentId.claim(SAME_PREFIX, prod.reactive());
        prod.sync().flushall();

        id.reassert();

        assertThat(prod.sync().get(SAME_PREFIX.deployment())).isEqualTo(id.value());
        assertThat(DeploymentId.claim(SAME_PREFIX, prod.reactive()).value()).isEqualTo(id.value());
    }
}
