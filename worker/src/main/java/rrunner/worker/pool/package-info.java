/**
 * Sandboxes prepared ahead of their jobs ({@link rrunner.worker.pool.SandboxPool}, sized by
 * {@link rrunner.worker.pool.PoolProperties}): confined exactly as cold ones, each with R loaded and waiting for its
 * script, each used by one job only and replaced in the background.
 */
package rrunner.worker.pool;
