/**
 * {@code POST /run}, the reference runner's synchronous call: reads the body under a size limit while it
 * streams in, queues the script as a job, waits for its result and maps the job's end onto HTTP.
 */
package rrunner.gateway.run;
