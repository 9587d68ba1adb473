package rrunner.gateway.webhooks;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import rrunner.common.job.JobRecord;
import rrunner.common.json.JsonCodec;
import rrunner.common.queue.DueDelivery;
import rrunner.common.queue.JobQueue;
import rrunner.common.queue.WebhookSchedule;
import rrunner.common.queue.WebhookStatus;
import rrunner.gateway.config.GatewayProperties;
import rrunner.gateway.tenants.Tenant;
import rrunner.gateway.tenants.Tenants;
import rrunner.gateway.webhooks.DeliveryCounter.Outcome;
import rrunner.gateway.webhooks.DeliveryRules.Decision;

/**
 * Sends the due webhook deliveries from the schedule in Redis, every {@code WEBHOOK_POLL_INTERVAL}: each attempt is
 * taken under a lease, so of all gateways exactly one sends it; its address is checked again, it is signed with the
 * job's tenant's secrets as they are now, sent, and its outcome recorded. A gateway that stops mid-attempt records
 * nothing; its lease runs out and another gateway (or this one, restarted) sends the attempt again, same
 * {@code webhook-id}, so receivers deduplicate on it.
 */
@Component
class WebhookDispatcher implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);
    /** The most attempts one gateway takes per poll, and sends at once. */
    private static final int BATCH = 32;

    private final WebhookSchedule schedule;
    private final JobQueue queue;
    private final Tenants tenants;
    private final WebhookAddresses addresses;
    private final WebhookSender sender;
    private final WebhookProperties properties;
    private final DeliveryRules rules;
    private final DeliveryCounter counter;
    private final String publicBaseUrl;
    private volatile Disposable polling;

    WebhookDispatcher(WebhookSchedule schedule, JobQueue queue, Tenants tenants, WebhookAddresses addresses,
            WebhookSender sender, WebhookProperties properties, DeliveryCounter counter,
            GatewayProperties gateway) {
        this.schedule = schedule;
        this.queue = queue;
        this.tenants = tenants;
        this.addresses = addresses;
        this.sender = sender;
        this.properties = properties;
        this.rules = new DeliveryRules(properties, () -> ThreadLocalRandom.current().nextDouble());
        this.counter = counter;
        this.publicBaseUrl = gateway.publicBaseUrl();
    }

    @Override
    public void start() {
        polling = Flux.interval(properties.pollInterval())
                .onBackpressureDrop()
                .concatMap(tick -> sendDue(), 1)
                .subscribe();
    }

    @Override
    public void stop() {
        Disposable running = polling;
        if (running != null) {
            running.dispose();
        }
        polling = null;
    }

    @Override
    public boolean isRunning() {
        return polling != null;
    }

    private Mono<Void> sendDue() {
        return schedule.takeDue(properties.lease(), BATCH, properties.maxAttempts())
                .flatMap(this::attempt, BATCH)
                .then()
                // why: a Redis outage fails one poll, never the loop; untaken or unrecorded attempts wait in Redis
                .onErrorResume(e -> {
                    LOG.warn("webhook poll failed: {}", e.toString());
                    return Mono.empty();
                });
    }

    private Mono<Void> attempt(DueDelivery due) {
        return queue.findWithoutResult(due.job())
                .flatMap(job -> send(due, job))
                .switchIfEmpty(Mono.fromSupplier(() -> ReceiverAnswer.refused("the job expired before delivery")))
                .flatMap(answer -> record(due, answer))
                // why per attempt: one attempt's failure (Redis) must not cancel the others in flight; its lease
                // runs out and it is sent again
                .onErrorResume(e -> {
                    LOG.warn("webhook attempt {} of job {} not recorded: {}", due.attempt(), due.job(), e.toString());
                    return Mono.empty();
                });
    }

    private Mono<ReceiverAnswer> send(DueDelivery due, JobRecord job) {
        return Mono.defer(() -> {
            Tenant tenant = tenants.find(due.tenant()).filter(found -> !found.webhookSecrets().isEmpty())
                    .orElseThrow(() -> WebhookRefusedException.noSecret(due.tenant()));
            WebhookUrl url = WebhookUrl.parse(due.url(), properties.allowHttp());
            byte[] body = JsonCodec.write(WebhookPayload.of(job, publicBaseUrl)).getBytes(StandardCharsets.UTF_8);
            return addresses.check(url).flatMap(checked -> sender.send(url, checked, headers(due, tenant, body), body));
        }).onErrorResume(WebhookRefusedException.class, e -> Mono.just(ReceiverAnswer.refused(e.reason())));
    }

    private static Map<String, String> headers(DueDelivery due, Tenant tenant, byte[] body) {
        String id = "job_" + due.job().value();
        long timestamp = Instant.now().getEpochSecond();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "application/json");
        headers.put("webhook-id", id);
        headers.put("webhook-timestamp", Long.toString(timestamp));
        headers.put("webhook-signature", WebhookSignature.header(id, timestamp, body, tenant.webhookSecrets()));
        return headers;
    }

    private Mono<Void> record(DueDelivery due, ReceiverAnswer answer) {
        Decision decision = rules.decide(due.attempt(), due.finishedAt(), Instant.now(), answer);
        Mono<Boolean> recorded = switch (decision.status()) {
            case DELIVERED -> schedule.delivered(due, answer.status());
            case PENDING -> schedule.retry(due, decision.retryIn(), answer.status(), decision.error());
            case FAILED -> schedule.failed(due, answer.status(), decision.error());
        };
        return recorded.doOnNext(held -> {
            Outcome outcome = !held ? Outcome.LEASE_LOST : switch (decision.status()) {
                case DELIVERED -> Outcome.DELIVERED;
                case PENDING -> Outcome.RETRIED;
                case FAILED -> Outcome.FAILED;
            };
            counter.count(outcome);
            LOG.atInfo().setMessage("webhook attempt")
                    .addKeyValue("job_id", due.job().value())
                    .addKeyValue("tenant", due.tenant())
                    .addKeyValue("attempt", due.attempt())
                    .addKeyValue("outcome", outcome.name().toLowerCase(Locale.ROOT))
                    .addKeyValue("status_code", answer.status())
                    .addKeyValue("retry_in_ms", decision.status() == WebhookStatus.PENDING
                            ? decision.retryIn().toMillis() : null)
                    .addKeyValue("error", decision.error())
                    .log();
        }).then();
    }
}
