package rrunner.common.queue;

import rrunner.common.job.WireNamed;

/**
 * The fields of a tenant's usage hash ({@link RedisKeys#tenantUsage}): its jobs in each unfinished state, kept by
 * {@code move} in {@code prelude.lua} in the same step as every state change, so admission can check a quota against
 * them atomically.
 */
enum UsageField implements WireNamed {
    /** Jobs waiting for a claim, first or retry. */
    QUEUED,
    /** Jobs a worker holds. */
    RUNNING;
}
