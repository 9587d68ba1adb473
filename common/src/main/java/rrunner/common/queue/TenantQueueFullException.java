package rrunner.common.queue;

/** A tenant already has as many jobs waiting as its {@code max_queued} allows; it should retry once some ran. */
public class TenantQueueFullException extends RuntimeException {

    private final String tenant;
    private final int limit;
    private final long current;

    public TenantQueueFullException(String tenant, int limit, long current) {
        super("tenant " + tenant + " has " + current + " jobs waiting, its most (max_queued " + limit
                + "); retry once some ran");
        this.tenant = tenant;
        this.limit = limit;
        this.current = current;
    }

    public String tenant() {
        return tenant;
    }

    public int limit() {
        return limit;
    }

    public long current() {
        return current;
    }
}
