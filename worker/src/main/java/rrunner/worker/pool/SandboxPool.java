package rrunner.worker.pool;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import rrunner.common.job.JobId;
import rrunner.worker.sandbox.SandboxPreparer;
import rrunner.worker.sandbox.SandboxUnavailableException;
import rrunner.worker.sandbox.WarmSandbox;
import rrunner.worker.sandbox.WarmSandboxes;

/**
 * Keeps sandboxes prepared ahead of their jobs: container started under the full sandbox policy, R loaded and
 * blocked reading the script it has not been sent. A job takes one ({@link #take}) and owns it from then on; the
 * pool never sees it again, so no sandbox serves two jobs. A take never waits: an empty pool answers at once and
 * the job starts cold. Every take starts a refill in the background.
 *
 * <p>Only sandboxes of Docker's default runtime are prepared ({@link SandboxPreparer#canPrepare}); with another
 * runtime the pool stays empty and every job starts cold.
 *
 * <p>Sizing: while jobs come in, the pool refills to {@code size}; once none was taken for {@code maxIdle}, it only
 * replaces sandboxes down to {@code minIdle}. Sandboxes are prepared one at a time on one thread, so refilling never
 * takes more than about one core (a container start, then R's start-up), and waiting sandboxes use no CPU at all.
 * A sandbox is retired (removed, then replaced) when it is older than {@code maxIdle}, when its R or container died,
 * or when the image it was made from is no longer the current one: a job asking for another image id, or the
 * image name pointing elsewhere (checked every upkeep round), makes that id the current one.
 */
public final class SandboxPool implements WarmSandboxes, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SandboxPool.class);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(30);
    private static final Duration MAX_UPKEEP_INTERVAL = Duration.ofSeconds(30);

    private final SandboxPreparer preparer;
    private final int size;
    private final int minIdle;
    private final Duration maxIdle;
    private final Clock clock = Clock.systemUTC();
    private final PoolThreads threads = new PoolThreads();
    /** Taken sandboxes whose job name is not set yet: a closing pool must not sweep them up. */
    private final Set<String> handingOver = ConcurrentHashMap.newKeySet();
    private final PoolMetrics metrics;
    /** Only the preparing thread reads and writes this. */
    private boolean failing;

    // guarded by this
    private final Deque<WarmSandbox> ready = new ArrayDeque<>();
    private String imageId;
    private Instant lastTake;
    private boolean closed;

    /** @param concurrency the worker's concurrency, which a {@code size} of -1 stands for */
    public SandboxPool(SandboxPreparer preparer, PoolProperties settings, int concurrency, MeterRegistry meters) {
        this.preparer = preparer;
        this.size = preparer.canPrepare() ? settings.resolvedSize(concurrency) : 0;
        if (!preparer.canPrepare() && settings.resolvedSize(concurrency) > 0) {
            log.info("the warm pool is off: sandboxes of this container runtime can't be prepared ahead");
        }
        this.minIdle = Math.min(settings.minIdle(), size);
        this.maxIdle = settings.maxIdle();
        this.lastTake = clock.instant();
        this.metrics = new PoolMetrics(meters, this::readyCount);
    }

    /** Starts filling the pool and its upkeep rounds; a pool of size 0 stays empty, so every job starts cold. */
    public void start() {
        if (size > 0) {
            Duration quarter = maxIdle.dividedBy(4);
            threads.every(quarter.compareTo(MAX_UPKEEP_INTERVAL) > 0 ? MAX_UPKEEP_INTERVAL : quarter, this::upkeep);
        }
    }

    @Override
    public Optional<WarmSandbox> take(JobId jobId, String wantedImageId) {
        WarmSandbox taken;
        List<Retired> retired;
        synchronized (this) {
            if (closed || size == 0) {
                metrics.taken(false);
                return Optional.empty();
            }
            lastTake = clock.instant();
            if (wantedImageId != null) {
                imageId = wantedImageId;
            }
            retired = retireUnusable(lastTake);
            taken = ready.pollFirst();
        }
        retired.forEach(one -> threads.inBackground(() -> destroy(one)));
        threads.refill(this::fill);
        metrics.taken(taken != null);
        if (taken == null) {
            return Optional.empty();
        }
        handingOver.add(taken.containerId());
        threads.inBackground(() -> {
            preparer.handOver(taken, jobId);
            handingOver.remove(taken.containerId());
        });
        return Optional.of(taken);
    }

    /** Sandboxes ready to be taken now. */
    public synchronized int readyCount() {
        return ready.size();
    }

    /**
     * Stops refilling and removes every sandbox no job took, including any an earlier removal failed to remove;
     * sandboxes already taken belong to their jobs, which remove them.
     */
    @Override
    public void close() {
        List<WarmSandbox> drained;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            drained = new ArrayList<>(ready);
            ready.clear();
        }
        threads.shutdownAndAwait(CLOSE_WAIT);
        drained.forEach(preparer::destroy);
        try {
            preparer.untakenPoolContainers().stream().filter(id -> !handingOver.contains(id))
                    .forEach(preparer::remove);
        } catch (RuntimeException e) {
            log.warn("could not look for leftover pool containers, the reaper will: {}", e.toString());
        }
    }

    /** Follows the image name to its current id, retires what aged, died or is of an old image, and refills. */
    private void upkeep() {
        try {
            Optional<String> current = preparer.currentImageId();
            List<Retired> retired;
            synchronized (this) {
                if (closed) {
                    return;
                }
                current.ifPresent(id -> imageId = id);
                retired = retireUnusable(clock.instant());
            }
            retired.forEach(this::destroy);
            threads.refill(this::fill);
        } catch (RuntimeException e) {
            log.warn("pool upkeep failed: {}", e.toString());
        }
    }

    /** Takes every sandbox that may no longer be handed out off the ready queue; the caller holds the lock. */
    private List<Retired> retireUnusable(Instant now) {
        List<Retired> retired = new ArrayList<>();
        ready.removeIf(sandbox -> {
            RetireReason reason = !sandbox.imageId().equals(imageId) ? RetireReason.IMAGE
                    : !now.isBefore(sandbox.createdAt().plus(maxIdle)) ? RetireReason.IDLE
                    : !sandbox.alive() ? RetireReason.DEAD
                    : null;
            if (reason != null) {
                retired.add(new Retired(sandbox, reason));
            }
            return reason != null;
        });
        return retired;
    }

    /** {@code size} while jobs come in; {@code minIdle} once none was taken for {@code maxIdle}. */
    private int target() {
        return clock.instant().isBefore(lastTake.plus(maxIdle)) ? size : minIdle;
    }

    /** Prepares sandboxes one after another until the target is met; a failure waits for the next upkeep round. */
    private void fill() {
        while (true) {
            String image;
            synchronized (this) {
                if (closed || imageId == null || ready.size() >= target()) {
                    return;
                }
                image = imageId;
            }
            Optional<WarmSandbox> prepared = prepare(image);
            if (prepared.isEmpty()) {
                return;
            }
            RetireReason unwanted;
            synchronized (this) {
                unwanted = closed ? RetireReason.CLOSED : image.equals(imageId) ? null : RetireReason.IMAGE;
                if (unwanted == null) {
                    ready.addLast(prepared.get());
                }
            }
            if (unwanted != null) {
                destroy(new Retired(prepared.get(), unwanted));
            }
        }
    }

    private Optional<WarmSandbox> prepare(String image) {
        long start = System.nanoTime();
        try {
            WarmSandbox sandbox = preparer.prepare(image);
            metrics.prepared(Duration.ofNanos(System.nanoTime() - start));
            failing = false;
            return Optional.of(sandbox);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (SandboxUnavailableException e) {
            metrics.prepareFailed();
            // why: a missing image fails every round; say so once, not every few seconds
            if (!failing) {
                log.warn("could not prepare a sandbox, jobs start cold until it works: {}", e.getMessage());
            }
            failing = true;
            return Optional.empty();
        }
    }

    private void destroy(Retired retired) {
        metrics.retired(retired.reason());
        preparer.destroy(retired.sandbox());
    }

    private record Retired(WarmSandbox sandbox, RetireReason reason) {
    }
}
