package rrunner.worker.ops;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import rrunner.common.environment.EnvironmentReport;
import rrunner.common.queue.WorkerRegistry;
import rrunner.common.queue.WorkerRegistry.Heartbeat;
import rrunner.worker.consume.ActiveJobs;

/**
 * Tells the gateways this worker is alive, how busy it is and which environments it can run now, on a schedule, and takes it out of the registry
 * when it stops, so a worker scaled down disappears from {@code GET /queue} at once rather than three missed
 * heartbeats later.
 */
public class WorkerHeartbeat {

    private static final Logger log = LoggerFactory.getLogger(WorkerHeartbeat.class);
    private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(5);

    private final WorkerRegistry registry;
    private final ActiveJobs active;
    private final String workerId;
    private final int concurrency;
    private final String image;
    private final Supplier<Map<String, EnvironmentReport>> environments;
    private final Duration interval;
    private final int sessionSlots;
    private final IntSupplier sessions;
    private final Instant startedAt = Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime());
    /** The jar's Implementation-Version; none when run from classes (tests, an IDE). */
    private final String version = Objects.requireNonNullElse(
            WorkerHeartbeat.class.getPackage().getImplementationVersion(), "unknown");
    private boolean left;

    /**
     * @param image the default environment's image, by name
     * @param environments what the worker knows of each environment it serves now; read from memory, since a
     *     heartbeat must never wait on Docker
     * @param sessionSlots how many sessions this worker may hold
     * @param sessions how many it holds now
     */
    public WorkerHeartbeat(WorkerRegistry registry, ActiveJobs active, String workerId, int concurrency,
            String image, Supplier<Map<String, EnvironmentReport>> environments, Duration interval, int sessionSlots,
            IntSupplier sessions) {
        this.registry = registry;
        this.active = active;
        this.workerId = workerId;
        this.concurrency = concurrency;
        this.image = image;
        this.environments = environments;
        this.interval = interval;
        this.sessionSlots = sessionSlots;
        this.sessions = sessions;
    }

    /** Synchronized with {@link #leave()}, so a heartbeat in flight at shutdown can't bring the worker back. */
    public synchronized void beat() {
        if (left) {
            return;
        }
        try {
            registry.beat(new Heartbeat(workerId, concurrency, active.size(), startedAt, image, version,
                    environments.get(), sessionSlots, sessions.getAsInt()), interval).block(REDIS_TIMEOUT);
        } catch (RuntimeException e) {
            log.warn("could not send the heartbeat of worker {}: {}", workerId, e.toString());
        }
    }

    /** Called once the worker has stopped taking and running jobs. */
    public synchronized void leave() {
        left = true;
        try {
            registry.remove(workerId).block(REDIS_TIMEOUT);
        } catch (RuntimeException e) {
            log.warn("worker {} could not leave the registry; it expires by itself: {}", workerId, e.toString());
        }
    }
}
