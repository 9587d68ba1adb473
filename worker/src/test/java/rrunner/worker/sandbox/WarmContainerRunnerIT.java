package rrunner.worker.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import rrunner.common.job.JobId;
import rrunner.worker.pool.PoolProperties;
import rrunner.worker.pool.SandboxPool;
import rrunner.worker.testing.SandboxLeakCheck;
import rrunner.worker.testing.TestOwner;

/**
 * The sandbox contract on the warm path: every run takes a sandbox its pool prepared before the job came, and
 * each test proves that it did, so a silent fallback to a cold start can't make this class pass.
 */
class WarmContainerRunnerIT extends ContainerRunnerContract {

    private static final PoolProperties ONE_READY = new PoolProperties(1, 1, Duration.ofMinutes(5));

    private final List<SandboxPool> pools = new ArrayList<>();
    private final List<MeterRegistry> meters = new ArrayList<>();

    @Override
    boolean warm() {
        return true;
    }

    @Override
    ContainerRunner runner(SandboxProperties settings, MeterRegistry registry) {
        SandboxPool pool = new SandboxPool(new SandboxPreparer(docker, settings, TestOwner.of(workerId)),
                ENVIRONMENTS.defaultEnvironment(), ONE_READY, 1, registry);
        pools.add(pool);
        meters.add(registry);
        pool.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> pool.readyCount() == 1);
        return new ContainerRunner(docker, settings, ENVIRONMENTS, TestOwner.of(workerId), registry, pool);
    }

    @Test
    void startsColdWithTheJobsOwnLimitsWhenTheWarmSandboxCannotBeResized() {
        // why 8 MB: less than R already holds in the waiting sandbox, so the kernel refuses the smaller limit
        SandboxOutcome outcome = runner(SETTINGS).run(JobId.random(), withLimits(spec("cat('ran')"), 8, 0),
                OutputListener.IGNORE);

        assertThat(outcome.warm()).isFalse();
        assertThat(SandboxLeakCheck.jobContainersOf(docker, workerId)).isEmpty();
    }

    @AfterEach
    void everyRunWasWarmAndThePoolsLeaveNothing() {
        pools.forEach(SandboxPool::close);
        assertThat(meters).allSatisfy(registry -> {
            assertThat(registry.get("rrunner.sandbox.pool.takes").tag("outcome", "cold").counter().count())
                    .as("runs that found no prepared sandbox").isZero();
            assertThat(registry.get("rrunner.sandbox.pool.takes").tag("outcome", "warm").counter().count())
                    .as("runs that took a prepared sandbox").isPositive();
        });
    }
}
