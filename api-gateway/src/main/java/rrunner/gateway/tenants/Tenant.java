package rrunner.gateway.tenants;

import java.util.List;
import java.util.Objects;
import org.springframework.web.server.ServerWebExchange;
import rrunner.common.queue.TenantPolicy;

/**
 * A caller of the service, as the tokens file (or {@code RUNNER_TOKEN}, as the tenant {@code default}) defines it. It
 * owns every job and session it creates; no other tenant sees them.
 *
 * @param id its name, which also names its Redis keys: lower-case letters, digits, {@code -} and {@code _}
 * @param weight its share of the workers against other tenants with work waiting; 1 or more
 * @param limits its quotas and the most its requests may ask for
 * @param webhookSecrets the secrets its webhooks are signed with, each signature sent; two while one is rotated
 *     out, none when it may not ask for webhooks
 */
public record Tenant(String id, int weight, TenantLimits limits, List<WebhookSecret> webhookSecrets) {

    /** The exchange attribute the authentication filter puts the caller's tenant under. */
    private static final String ATTRIBUTE = Tenant.class.getName();

    public Tenant {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(limits, "limits");
        webhookSecrets = List.copyOf(webhookSecrets);
    }

    /** A tenant without webhook secrets. */
    public Tenant(String id, int weight, TenantLimits limits) {
        this(id, weight, limits, List.of());
    }

    /** The same tenant signing its webhooks with {@code secrets}. */
    Tenant withWebhookSecrets(List<WebhookSecret> secrets) {
        return new Tenant(id, weight, limits, secrets);
    }

    /** What the queue enforces for its jobs: its weight in the fair claim, its caps on waiting and running jobs. */
    public TenantPolicy policy() {
        return new TenantPolicy(weight, limits.maxQueued(), limits.maxRunning());
    }

    /** Marks the request as {@code tenant}'s, once its token was checked. */
    public static void put(ServerWebExchange exchange, Tenant tenant) {
        exchange.getAttributes().put(ATTRIBUTE, tenant);
    }

    /** The tenant the request was authenticated as; only on the paths the filter protects. */
    public static Tenant of(ServerWebExchange exchange) {
        Tenant tenant = exchange.getAttribute(ATTRIBUTE);
        if (tenant == null) {
            throw new IllegalStateException("no tenant on " + exchange.getRequest().getPath()
                    + ": the path is not one BearerTokenFilter protects");
        }
        return tenant;
    }
}
