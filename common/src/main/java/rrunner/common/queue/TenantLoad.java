package rrunner.common.queue;

/**
 * One tenant's jobs in the queue at one moment.
 *
 * @param tenant its id
 * @param waiting its jobs waiting in its line for a claim (not those waiting out a retry backoff)
 * @param running its jobs a worker holds, session execs included, as its running cap counts them
 */
public record TenantLoad(String tenant, long waiting, long running) {
}
