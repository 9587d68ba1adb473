package rrunner.worker.consume;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * The periodic duties that must go on while the {@link ClaimLoop} drains at shutdown: lease renewal, the fence
 * check and the heartbeat. Spring's task scheduler stops as soon as the context starts closing, before the claim
 * loop lets its jobs finish, so a job longer than a lease would be rescued and run again by another worker while its
 * first container still ran, and the draining worker would look dead. These duties get their own executor instead,
 * started before the claim loop and stopped after it. One thread per duty, so a Redis call hanging in one (Redis
 * unreachable) never delays another, the fence check above all.
 */
public class LifelineSchedule implements SmartLifecycle {

    /** Just below the claim loop's phase: starts before it, stops after it. */
    public static final int PHASE = ClaimLoop.PHASE - 1;

    private static final Logger log = LoggerFactory.getLogger(LifelineSchedule.class);
    private static final Duration STOP_WAIT = Duration.ofSeconds(10);

    private final List<Duty> duties;
    private volatile ScheduledExecutorService executor;

    public LifelineSchedule(List<Duty> duties) {
        this.duties = List.copyOf(duties);
    }

    /** A task run every {@code interval} (after the previous run ended), first at start. */
    public record Duty(String name, Duration interval, Runnable task) {
    }

    @Override
    public void start() {
        ScheduledThreadPoolExecutor started = new ScheduledThreadPoolExecutor(duties.size(),
                new CustomizableThreadFactory("lifeline-"));
        for (Duty duty : duties) {
            started.scheduleWithFixedDelay(() -> runOnce(duty), 0, duty.interval().toNanos(), TimeUnit.NANOSECONDS);
        }
        executor = started;
    }

    /** why the catch: an exception escaping a periodic task cancels all its later runs */
    private static void runOnce(Duty duty) {
        try {
            duty.task().run();
        } catch (RuntimeException e) {
            log.warn("{} failed; it runs again in {}: {}", duty.name(), duty.interval(), e.toString());
        }
    }

    @Override
    public void stop() {
        ScheduledExecutorService stopping = executor;
        executor = null;
        if (stopping == null) {
            return;
        }
        stopping.shutdown();
        try {
            if (!stopping.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                stopping.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return executor != null;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
