package rrunner.common.queue;

import java.time.Duration;
import java.util.List;

/**
 * The queue's figures at one moment.
 *
 * @param waiting jobs waiting for their first claim
 * @param retrying jobs waiting out a retry backoff
 * @param running jobs held by a worker's lease
 * @param oldestWaiting age of the oldest waiting job; zero when none waits
 * @param tenants per tenant asked about or with jobs waiting: its jobs waiting and running
 */
public record QueueStats(long waiting, long retrying, long running, Duration oldestWaiting,
        List<TenantLoad> tenants) {
}
