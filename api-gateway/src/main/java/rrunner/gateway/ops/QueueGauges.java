package rrunner.gateway.ops;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import rrunner.common.queue.JobQueue;
import rrunner.common.queue.SessionStore;
import rrunner.common.queue.QueueStats;
import rrunner.common.queue.TenantLoad;
import rrunner.common.queue.WorkerRegistry;
import rrunner.common.redis.HeartbeatProperties;
import rrunner.gateway.tenants.Tenants;
import rrunner.common.session.SessionState;

/**
 * The queue and worker gauges. One poll every {@code OPS_POLL_INTERVAL} reads Redis and caches the figures, so a
 * scrape never waits on Redis and any number of scrapers add no load to it. While Redis does not answer the
 * gauges are NaN (no value), not the last figures, which would look like a healthy queue.
 */
@Component
public class QueueGauges implements MeterBinder, SmartLifecycle {

    static final String WAITING = "rrunner.queue.waiting";
    static final String RETRYING = "rrunner.queue.retrying";
    static final String RUNNING = "rrunner.queue.running";
    static final String OLDEST_WAITING = "rrunner.queue.oldest.waiting";
    static final String WORKERS_LIVE = "rrunner.workers.live";
    static final String SESSIONS_ACTIVE = "rrunner.sessions.active";
    static final String TENANT_WAITING = "rrunner.queue.tenant.waiting";
    static final String TENANT_RUNNING = "rrunner.queue.tenant.running";
    /** The states a live session can be in: each a fixed value of the gauge's tag. */
    private static final List<SessionState> LIVE_STATES =
            List.of(SessionState.STARTING, SessionState.READY, SessionState.BUSY);

    private static final Logger LOG = LoggerFactory.getLogger(QueueGauges.class);

    private final JobQueue queue;
    private final SessionStore sessions;
    private final WorkerRegistry workers;
    private final OpsProperties ops;
    private final HeartbeatProperties heartbeat;
    private final Tenants tenants;
    private final AtomicReference<Figures> latest = new AtomicReference<>(Figures.UNKNOWN);
    private volatile MultiGauge tenantWaiting;
    private volatile MultiGauge tenantRunning;
    private volatile Disposable polling;

    public QueueGauges(JobQueue queue, SessionStore sessions, WorkerRegistry workers, OpsProperties ops,
            HeartbeatProperties heartbeat, Tenants tenants) {
        this.queue = queue;
        this.sessions = sessions;
        this.workers = workers;
        this.ops = ops;
        this.heartbeat = heartbeat;
        this.tenants = tenants;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        gauge(registry, WAITING, "Jobs waiting for a worker", null, Figures::waiting);
        gauge(registry, RETRYING, "Jobs waiting out a retry backoff", null, Figures::retrying);
        gauge(registry, RUNNING, "Jobs claimed by a worker", null, Figures::running);
        gauge(registry, OLDEST_WAITING, "Age of the oldest waiting job", "seconds",
                Figures::oldestWaitingSeconds);
        gauge(registry, WORKERS_LIVE, "Workers with a live heartbeat", null, Figures::liveWorkers);
        for (SessionState state : LIVE_STATES) {
            Gauge.builder(SESSIONS_ACTIVE, latest, ref -> ref.get().sessions(state))
                    .description("Live sessions, by state")
                    .tag("status", state.wireName())
                    .register(registry);
        }
        // why a tag per tenant: the tenants of the file, plus any with jobs still waiting, so the tag stays bounded
        tenantWaiting = MultiGauge.builder(TENANT_WAITING).description("Jobs waiting in a tenant's line")
                .register(registry);
        tenantRunning = MultiGauge.builder(TENANT_RUNNING)
                .description("Jobs of a tenant held by a worker, session execs included").register(registry);
    }

    private void gauge(MeterRegistry registry, String name, String description, String unit,
            ToDoubleFunction<Figures> figure) {
        Gauge.builder(name, latest, ref -> figure.applyAsDouble(ref.get()))
                .description(description)
                .baseUnit(unit)
                .register(registry);
    }

    @Override
    public void start() {
        // why drop: a poll slower than the interval (Redis timing out) skips ticks instead of queueing them
        polling = Flux.interval(Duration.ZERO, ops.pollInterval())
                .onBackpressureDrop()
                .concatMap(tick -> poll())
                .subscribe(this::publish);
    }

    private void publish(Figures figures) {
        latest.set(figures);
        if (tenantWaiting != null && figures != Figures.UNKNOWN) {
            // why rows that read the latest figures, never overwritten: an overwrite removes and adds each gauge,
            // and a scrape between the two sees the tenant twice (micrometer#6851); only a tenant that came or went
            // (the file changed) changes the rows
            tenantWaiting.register(rows(figures, TenantLoad::waiting), false);
            tenantRunning.register(rows(figures, TenantLoad::running), false);
        }
    }

    private List<MultiGauge.Row<?>> rows(Figures figures, ToLongFunction<TenantLoad> figure) {
        return figures.tenants().stream()
                .<MultiGauge.Row<?>>map(load -> MultiGauge.Row.of(Tags.of("tenant", load.tenant()), latest,
                        ref -> ref.get().ofTenant(load.tenant(), figure)))
                .toList();
    }

    private Mono<Figures> poll() {
        return Mono.zip(queue.stats(tenants.ids()), workers.liveWorkers(heartbeat.workerMaxAge()),
                        sessions.liveCounts())
                .map(all -> Figures.of(all.getT1(), all.getT2().size(), all.getT3()))
                .onErrorResume(e -> {
                    if (latest.get() != Figures.UNKNOWN) {
                        LOG.warn("Queue gauges have no value until Redis answers again: {}", e.toString());
                    }
                    return Mono.just(Figures.UNKNOWN);
                });
    }

    @Override
    public void stop() {
        polling.dispose();
    }

    @Override
    public boolean isRunning() {
        Disposable current = polling;
        return current != null && !current.isDisposed();
    }

    /** One poll's figures; NaN where unknown. */
    record Figures(double waiting, double retrying, double running, double oldestWaitingSeconds,
            double liveWorkers, Map<SessionState, Long> sessionCounts, List<TenantLoad> tenants) {

        static final Figures UNKNOWN = new Figures(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, null,
                List.of());

        static Figures of(QueueStats stats, int liveWorkers, Map<SessionState, Long> sessionCounts) {
            return new Figures(stats.waiting(), stats.retrying(), stats.running(),
                    stats.oldestWaiting().toMillis() / 1000.0, liveWorkers, Map.copyOf(sessionCounts),
                    stats.tenants());
        }

        /** NaN while Redis does not answer, 0 for a tenant without jobs in the queue. */
        double ofTenant(String tenant, ToLongFunction<TenantLoad> figure) {
            if (this == UNKNOWN) {
                return Double.NaN;
            }
            return tenants.stream().filter(load -> load.tenant().equals(tenant)).mapToLong(figure).findFirst()
                    .orElse(0);
        }

        double sessions(SessionState state) {
            return sessionCounts == null ? Double.NaN : sessionCounts.getOrDefault(state, 0L);
        }
    }
}
