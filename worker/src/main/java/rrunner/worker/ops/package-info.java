/**
 * Operating the worker: its heartbeat in the shared worker registry (what {@code GET /queue} and the
 * {@code rrunner.workers.live} gauge show) and the Docker check its readiness probe includes (the Redis check
 * comes from common's {@code rrunner.common.redis}).
 */
package rrunner.worker.ops;
