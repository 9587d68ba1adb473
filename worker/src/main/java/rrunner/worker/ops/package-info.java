/**
 * Operating the worker: its heartbeat in the shared worker registry (what {@code GET /queue} and the
 * {@code rrunner.workers.live} gauge show) and the Redis and Docker checks its readiness probe includes.
 */
package rrunner.worker.ops;
