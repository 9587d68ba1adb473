package rrunner.gateway.tenants;

import com.fasterxml.jackson.annotation.JsonProperty;
import rrunner.common.queue.TenantUsage;

/** The body of {@code GET /me}: who the caller is to the service, what it may use and what it uses now. */
record MeView(
        @JsonProperty("tenant") String tenant,
        @JsonProperty("weight") int weight,
        @JsonProperty("limits") TenantLimits limits,
        @JsonProperty("usage") Usage usage) {

    static MeView of(Tenant tenant, TenantUsage usage) {
        return new MeView(tenant.id(), tenant.weight(), tenant.limits(),
                new Usage(usage.queued(), usage.running(), usage.sessions()));
    }

    /** The tenant's unfinished work now. */
    record Usage(
            @JsonProperty("queued") long queued,
            @JsonProperty("running") long running,
            @JsonProperty("sessions") long sessions) {
    }
}
