package rrunner.common.queue;

/**
 * A tenant's unfinished work.
 *
 * @param queued its jobs waiting for a worker, first attempts and retries, as the queue scripts count them
 * @param running its jobs a worker holds, as the queue scripts count them
 * @param sessions its sessions not ended yet
 */
public record TenantUsage(long queued, long running, long sessions) {
}
