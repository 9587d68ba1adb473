/**
 * Sandboxes prepared ahead of their jobs ({@link rrunner.worker.pool.SandboxPool}, one per environment in
 * {@link rrunner.worker.pool.SandboxPools}, sized by {@link rrunner.worker.pool.PoolProperties}): confined exactly as
 * cold ones, each with R loaded and waiting for its
 * script, each used by one job only and replaced in the background.
 */
package rrunner.worker.pool;
