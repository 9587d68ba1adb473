package rrunner.gateway.stream;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import rrunner.common.job.JobId;
import rrunner.gateway.completion.JobNoticeListener;

/**
 * The streaming clients of this gateway, by job, woken by the one notice subscription whenever their job's event
 * stream may have grown. A wake-up carries nothing: each client reads what it has not seen yet itself.
 */
@Component
public class JobEventListeners implements JobNoticeListener {

    /** Wake-ups only ever race during a re-subscription, for microseconds; spinning that long is fine. */
    private static final Sinks.EmitFailureHandler RETRY_WHILE_CONTENDED =
            Sinks.EmitFailureHandler.busyLooping(Duration.ofMillis(100));

    private final ConcurrentMap<JobId, Set<Listener>> byJob = new ConcurrentHashMap<>();

    /** Jobs with at least one streaming client; how tests check that no listener outlives its client. */
    public int following() {
        return byJob.size();
    }

    Listener register(JobId id) {
        Listener listener = new Listener(id);
        byJob.compute(id, (key, listeners) -> {
            Set<Listener> set = listeners == null ? ConcurrentHashMap.newKeySet() : listeners;
            set.add(listener);
            return set;
        });
        return listener;
    }

    void unregister(Listener listener) {
        byJob.computeIfPresent(listener.id(), (key, listeners) -> {
            listeners.remove(listener);
            return listeners.isEmpty() ? null : listeners;
        });
    }

    @Override
    public void finished(JobId id) {
        wake(id);
    }

    @Override
    public void eventsAppended(JobId id) {
        wake(id);
    }

    @Override
    public void resubscribed() {
        byJob.values().forEach(listeners -> listeners.forEach(Listener::wake));
    }

    private void wake(JobId id) {
        Set<Listener> listeners = byJob.get(id);
        if (listeners != null) {
            listeners.forEach(Listener::wake);
        }
    }

    /** One client's wake-ups; the client drops those that pile up while it reads, one read covers them all. */
    static final class Listener {

        private final JobId id;
        private final Sinks.Many<Boolean> wakeUps = Sinks.many().unicast().onBackpressureBuffer();

        private Listener(JobId id) {
            this.id = id;
        }

        JobId id() {
            return id;
        }

        Flux<Boolean> wakeUps() {
            return wakeUps.asFlux();
        }

        private void wake() {
            wakeUps.emitNext(Boolean.TRUE, RETRY_WHILE_CONTENDED);
        }
    }
}
