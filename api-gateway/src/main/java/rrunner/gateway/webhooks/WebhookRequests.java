package rrunner.gateway.webhooks;

import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import rrunner.gateway.tenants.Tenant;

/** Checks the webhook a submit asks for before its job is stored, so a refused one stores nothing. */
@Component
public class WebhookRequests {

    private final WebhookAddresses addresses;
    private final WebhookProperties properties;

    WebhookRequests(WebhookAddresses addresses, WebhookProperties properties) {
        this.addresses = addresses;
        this.properties = properties;
    }

    /**
     * {@code url}, once it may be sent to for {@code tenant}; fails with 422: the tenant has no secret to sign with,
     * the URL breaks a rule, or its host is or resolves to an address webhooks may not reach.
     */
    public Mono<String> check(String url, Tenant tenant) {
        if (tenant.webhookSecrets().isEmpty()) {
            return Mono.error(WebhookRefusedException.noSecret(tenant.id()));
        }
        return Mono.fromCallable(() -> WebhookUrl.parse(url, properties.allowHttp()))
                .flatMap(addresses::check)
                .thenReturn(url);
    }
}
