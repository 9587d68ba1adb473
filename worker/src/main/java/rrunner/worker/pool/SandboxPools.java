package rrunner.worker.pool;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import rrunner.common.environment.Environment;
import rrunner.common.environment.Environments;
import rrunner.common.job.JobId;
import rrunner.worker.sandbox.SandboxPreparer;
import rrunner.worker.sandbox.SandboxTarget;
import rrunner.worker.sandbox.WarmSandbox;
import rrunner.worker.sandbox.WarmSandboxes;

/**
 * One {@link SandboxPool} per environment the worker serves: the default environment's kept ready from the start,
 * every other one {@linkplain SandboxPool#sizedByUse sized by use}, so an environment nobody asks for costs no
 * sandboxes. A job takes from its own environment's pool.
 */
public final class SandboxPools implements WarmSandboxes, AutoCloseable {

    private final SandboxPreparer preparer;
    private final Map<String, SandboxPool> byEnvironment = new LinkedHashMap<>();

    /** @param concurrency the worker's concurrency, which a {@code size} of -1 stands for */
    public SandboxPools(SandboxPreparer preparer, Environments environments, PoolProperties settings, int concurrency,
            MeterRegistry meters) {
        this.preparer = preparer;
        for (Environment environment : environments.all()) {
            byEnvironment.put(environment.name(), environment.equals(environments.defaultEnvironment())
                    ? new SandboxPool(preparer, environment, settings, concurrency, meters)
                    : SandboxPool.sizedByUse(preparer, environment, settings, concurrency, meters));
        }
    }

    /** Starts every pool's upkeep; see {@link SandboxPool#start}. */
    public void start() {
        byEnvironment.values().forEach(SandboxPool::start);
    }

    @Override
    public Optional<WarmSandbox> take(JobId jobId, SandboxTarget target) {
        SandboxPool pool = byEnvironment.get(target.environment());
        return pool == null ? Optional.empty() : pool.take(jobId, target);
    }

    /**
     * Closes every pool, then removes what is left of them all at once: each pool's sweep would see the others'
     * sandboxes, including those a job just took.
     */
    @Override
    public void close() {
        byEnvironment.values().forEach(SandboxPool::closeOwn);
        Set<String> spared = new HashSet<>();
        byEnvironment.values().forEach(pool -> spared.addAll(pool.handingOver()));
        SandboxPool.removeLeftovers(preparer, spared);
    }
}
