package rrunner.gateway.stream;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import rrunner.common.event.JobEvent;
import rrunner.common.event.JobEventType;
import rrunner.common.job.JobId;
import rrunner.common.queue.JobQueue;
import rrunner.gateway.config.GatewayProperties;
import rrunner.gateway.stream.JobEventListeners.Listener;

/**
 * Follows one job's event stream for one client: replays what is stored, then reads again whenever the notice
 * subscription says the stream grew, until the job's last event. No client holds a Redis connection or a
 * blocking read; each read is one short {@code XRANGE} on the shared connection.
 */
@Component
public class JobEventFollower {

    private final JobQueue queue;
    private final JobEventListeners listeners;
    private final Duration keepAliveInterval;

    public JobEventFollower(JobQueue queue, JobEventListeners listeners, GatewayProperties properties) {
        this.queue = queue;
        this.listeners = listeners;
        this.keepAliveInterval = properties.streamKeepAlive();
    }

    /**
     * The job's events after {@code afterId} (exclusive; null for all), live, ending with its result, with a
     * {@link StreamEvent.KeepAlive} every {@code STREAM_KEEP_ALIVE_INTERVAL}; a job deleted from Redis meanwhile
     * ends it with a 404 {@link StreamEvent.Failure}.
     */
    public Flux<StreamEvent> follow(JobId id, String afterId) {
        return Flux.using(() -> listeners.register(id), listener -> readOnEveryWakeUp(id, afterId, listener),
                        listeners::unregister)
                .concatMap(event -> event.type() == JobEventType.FINISHED
                        ? result(id, event)
                        : Mono.just(StreamEvent.of(event)))
                .mergeWith(keepAlives(id))
                .takeUntil(StreamEvent::isLast);
    }

    /**
     * why: proxies commonly drop a connection idle for 60 s (nginx's proxy_read_timeout), a queued job can be
     * silent far longer, and a client gone without closing its connection is only noticed by a write that fails;
     * until then its listener stays registered. A keep-alive nobody requested is dropped: the next one will do.
     * Each also checks that the job is still stored: a job Redis lost (a flush, a restart without persistence)
     * sends no more notices, so without the check its stream would wait forever.
     */
    private Flux<StreamEvent> keepAlives(JobId id) {
        return Flux.interval(keepAliveInterval)
                .onBackpressureDrop()
                .concatMap(tick -> queue.exists(id)
                        // why: a failed check says nothing about the job; the next tick asks again
                        .onErrorReturn(Boolean.TRUE)
                        .map(stored -> stored ? StreamEvent.KeepAlive.INSTANCE : StreamEvent.Failure.gone(id)), 1);
    }

    private Flux<JobEvent> readOnEveryWakeUp(JobId id, String afterId, Listener listener) {
        AtomicReference<String> lastSeen = new AtomicReference<>(afterId);
        // why the replay is the first wake-up, after registering: an event stored meanwhile is either in the
        // replay or announced to the registered listener, so none falls between the replay and the live part
        return listener.wakeUps()
                // why: wake-ups come on the subscription's Lettuce event loop; starting each client's read
                // elsewhere keeps one job with many clients from holding up every other notice
                .publishOn(Schedulers.parallel())
                .startWith(Boolean.TRUE)
                // why latest: wake-ups that arrive while a read runs are all covered by one more read
                .onBackpressureLatest()
                .concatMap(wakeUp -> queue.events(id, lastSeen.get()).doOnNext(event -> lastSeen.set(event.id())), 1)
                .takeUntil(event -> event.type() == JobEventType.FINISHED);
    }

    /** The finished event carries only the state; the result comes from the job, while it is kept. */
    private Mono<StreamEvent> result(JobId id, JobEvent finished) {
        return queue.find(id)
                .flatMap(job -> Mono.justOrEmpty(job.visibleResult()))
                .<StreamEvent>map(result -> new StreamEvent.Result(finished.id(), finished.data(), result))
                .defaultIfEmpty(new StreamEvent.Result(finished.id(), finished.data(), null));
    }
}
