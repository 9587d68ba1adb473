package rrunner.gateway.webhooks;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Resolves a webhook's host and checks every address it resolves to, at submit and again at each attempt; the
 * attempt then connects to exactly these addresses, so a second lookup that a rebinding DNS server answers
 * differently never happens.
 */
@Component
class WebhookAddresses {

    /** why bounded: a slow DNS server must not hold a submit open, nor a dispatcher slot. */
    private static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(5);

    private final HostResolver resolver;
    private final AddressPolicy policy;

    WebhookAddresses(HostResolver resolver, WebhookProperties properties) {
        this.resolver = resolver;
        this.policy = new AddressPolicy(properties.allowed());
    }

    /**
     * Every address of {@code url}'s host, each allowed; fails with {@link WebhookRefusedException} when one is not
     * (webhook-address-forbidden) or the host has none (invalid-webhook).
     */
    Mono<List<InetAddress>> check(WebhookUrl url) {
        Mono<List<InetAddress>> addresses = url.literal().map(address -> Mono.just(List.of(address)))
                .orElseGet(() -> Mono.fromCallable(() -> resolver.resolve(url.host()))
                        .subscribeOn(Schedulers.boundedElastic())
                        .timeout(LOOKUP_TIMEOUT)
                        .onErrorMap(UnknownHostException.class, e -> WebhookRefusedException.invalid(
                                "webhook.url's host " + url.host() + " does not resolve"))
                        .onErrorMap(TimeoutException.class,
                                e -> WebhookRefusedException.invalid("webhook.url's host " + url.host()
                                        + " did not resolve within " + LOOKUP_TIMEOUT.toSeconds() + " s")));
        return addresses.map(found -> {
            if (found.isEmpty()) {
                throw WebhookRefusedException.invalid("webhook.url's host " + url.host() + " has no address");
            }
            for (InetAddress address : found) {
                policy.refusal(address).ifPresent(why -> {
                    throw WebhookRefusedException.forbiddenAddress(url.host(), why);
                });
            }
            return found;
        });
    }
}
