package rrunner.common.queue;

import rrunner.common.job.WireNamed;

/**
 * The fields of a tenant's share hash ({@link RedisKeys#tenantShare}), read by the fair claim in {@code prelude.lua}.
 * The gateway writes the weight and cap from the tenants file with each of the tenant's submits, so a changed file
 * applies from the tenant's next job.
 */
enum ShareField implements WireNamed {
    /** Its share of the workers against other tenants with work waiting; 1 when unset. */
    WEIGHT,
    /** The most of its jobs that may run at once; 0 or unset for no cap of its own. */
    MAX_RUNNING,
    /**
     * Its stride-scheduling pass: each claim adds a stride inversely proportional to its weight, and among tenants
     * with equal running jobs per weight the lowest pass goes first, so weights hold even when jobs end as soon as
     * they start.
     */
    PASS;
}
