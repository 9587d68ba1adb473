/**
 * Live job events for callers: {@link rrunner.gateway.stream.JobEventFollower} replays a job's event stream and
 * follows it, woken through {@link rrunner.gateway.stream.JobEventListeners} by the gateway's one notice
 * subscription (no Redis connection or blocking read per client); {@link rrunner.gateway.stream.StreamFormat}
 * writes the {@link rrunner.gateway.stream.StreamEvent}s as NDJSON or Server-Sent Events.
 */
package rrunner.gateway.stream;
