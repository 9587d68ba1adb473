package rrunner.worker.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import rrunner.common.queue.RedisKeys;
import rrunner.common.testing.RedisClientExtension;
import rrunner.common.testing.RedisTestContainer;

/** Deployments are told apart by an id kept in their own Redis, not by their key prefix. */
@Testcontainers
class DeploymentIdIT {

    private static final RedisKeys SAME_PREFIX = new RedisKeys("rrunner");

    @Container
    static final GenericContainer<?> PRODUCTION = RedisTestContainer.create();
    @Container
    static final GenericContainer<?> STAGING = RedisTestContainer.create();

    @RegisterExtension
    static final RedisClientExtension PROD = RedisClientExtension.emptyingBeforeEach(PRODUCTION);
    @RegisterExtension
    static final RedisClientExtension STAGE = RedisClientExtension.emptyingBeforeEach(STAGING);

    @Test
    void workersOfOneDeploymentShareItsIdAndAnotherDeploymentWithTheSamePrefixHasItsOwn() {
        DeploymentId first = DeploymentId.claim(SAME_PREFIX, PROD.reactive());
        DeploymentId second = DeploymentId.claim(SAME_PREFIX, PROD.reactive());
        DeploymentId elsewhere = DeploymentId.claim(SAME_PREFIX, STAGE.reactive());

        assertThat(second.value()).isEqualTo(first.value()).startsWith("rrunner-");
        assertThat(elsewhere.value()).isNotEqualTo(first.value());
        assertThat(SandboxOwner.deploymentScope(elsewhere.value()))
                .isNotEqualTo(SandboxOwner.deploymentScope(first.value()));
    }

    @Test
    void aWorkerWritesItsIdBackAfterRedisLostIt() {
        DeploymentId id = DeploymentId.claim(SAME_PREFIX, PROD.reactive());
        PROD.sync().flushall();

        id.reassert();

        assertThat(PROD.sync().get(SAME_PREFIX.deployment())).isEqualTo(id.value());
        assertThat(DeploymentId.claim(SAME_PREFIX, PROD.reactive()).value()).isEqualTo(id.value());
    }
}
