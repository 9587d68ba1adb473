/**
 * {@code POST /run}, the reference runner's synchronous call: reads the body under a size limit while it
 * streams in, queues the script as a job, waits for its result (or streams its events when asked) and maps the
 * job's end onto HTTP, with a {@code Server-Timing} header saying where the time went. A caller that goes away
 * before the result takes its job with it.
 */
package rrunner.gateway.run;
