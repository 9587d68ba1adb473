/**
 * Operating the service: the queue and worker gauges (one cached Redis poll feeding every scrape), the rejected
 * requests counter, the {@code POST /run} timer, {@code GET /queue} and the Redis health check readiness uses.
 */
package rrunner.gateway.ops;
