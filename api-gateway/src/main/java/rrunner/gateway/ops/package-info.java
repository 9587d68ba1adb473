/**
 * Operating the service: the queue and worker gauges (one cached Redis poll feeding every scrape), the rejected
 * requests counter, the {@code POST /run} timer and {@code GET /queue} (the Redis check readiness uses comes from
 * common's {@code rrunner.common.redis}).
 */
package rrunner.gateway.ops;
