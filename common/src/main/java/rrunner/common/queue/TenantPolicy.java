package rrunner.common.queue;

/**
 * What the queue enforces for a job's tenant, from the tenants file: checked with the job's admission and written
 * with it for the fair claim ({@link ShareField}).
 *
 * @param weight its share of the workers against other tenants with work waiting; 1 or more
 * @param maxQueued the most of its jobs that may wait at once; 0 for no cap of its own
 * @param maxRunning the most of its jobs workers may run at once; 0 for no cap of its own
 */
public record TenantPolicy(int weight, int maxQueued, int maxRunning) {

    /** A tenant of weight 1 without caps of its own: every job the queue takes when no tenant's policy applies. */
    public static final TenantPolicy UNLIMITED = new TenantPolicy(1, 0, 0);

    public TenantPolicy {
        if (weight < 1 || maxQueued < 0 || maxRunning < 0) {
            throw new IllegalArgumentException("weight must be at least 1 and the caps 0 or more: weight " + weight
                    + ", max queued " + maxQueued + ", max running " + maxRunning);
        }
    }
}
