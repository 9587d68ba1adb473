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
import rrunner.common.environment.Environment;
import rrunner.common.job.JobId;
import rrunner.worker.sandbox.SandboxPreparer;
import rrunner.worker.sandbox.SandboxTarget;
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
 * replaces sandboxes down to {@code minIdle}. Each preparing thread prepares one sandbox at a time (a container start,
 * then R's start-up); there are as many as the worker has cores, at most {@code size}, and a shortfall of several
 * sandboxes is prepared side by side, not one after another. Waiting sandboxes use no CPU at all.
 * A sandbox is retired (removed, then replaced) when it is older than {@code maxIdle}, when its R or container died,
 * or when the image it was made from is no longer the current one: a job asking for another image id, or the
 * image name pointing elsewhere (checked every upkeep round), makes that id the current one.
 *
 * <p>A pool serves one environment: its sandboxes are made from that environment's image with its default limits
 * (a job asking for others resizes the one it takes). The default environment's pool is kept ready from the start;
 * another environment's is {@link #sizedByUse sized by use}: empty until a job of that environment comes, and back to
 * empty once none came for {@code maxIdle}.
 */
public final class SandboxPool implements WarmSandboxes, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SandboxPool.class);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(30);
    private static final Duration MAX_UPKEEP_INTERVAL = Duration.ofSeconds(30);

    private final SandboxPreparer preparer;
    private final Environment environment;
    private final int size;
    private final int minIdle;
    private final Duration maxIdle;
    private final Clock clock = Clock.systemUTC();
    private final PoolThreads threads;
    /** Taken sandboxes whose job name is not set yet: a closing pool must not sweep them up. */
    private final Set<String> handingOver = ConcurrentHashMap.newKeySet();
    private final PoolMetrics metrics;
    /** Set by a failed preparation, cleared by the next that works; preparing threads only. */
    private volatile boolean failing;

    // guarded by this
    private final Deque<WarmSandbox> ready = new ArrayDeque<>();
    /** Sandboxes being prepared now: counted against the target, so parallel fills never prepare too many. */
    private int preparing;
    private String imageId;
    private Instant lastTake;
    private boolean closed;

    /**
     * A pool kept ready from the start, as the default environment's is.
     *
     * @param concurrency the worker's concurrency, which a {@code size} of -1 stands for
     */
    public SandboxPool(SandboxPreparer preparer, Environment environment, PoolProperties settings, int concurrency,
            MeterRegistry meters) {
        this(preparer, environment, settings, settings.minIdle(), concurrency, meters);
        this.lastTake = clock.instant();
    }

    private SandboxPool(SandboxPreparer preparer, Environment environment, PoolProperties settings, int minIdle,
            int concurrency, MeterRegistry meters) {
        this.preparer = preparer;
        this.environment = environment;
        this.size = preparer.canPrepare() ? settings.resolvedSize(concurrency) : 0;
        if (!preparer.canPrepare() && settings.resolvedSize(concurrency) > 0) {
            log.info("the warm pool of {} is off: sandboxes of this container runtime can't be prepared ahead",
                    environment.name());
        }
        this.minIdle = Math.min(minIdle, size);
        this.maxIdle = settings.maxIdle();
        // why the epoch: a pool sized by use counts as idle for long until its first take
        this.lastTake = Instant.EPOCH;
        this.metrics = new PoolMetrics(meters, environment.name(), this::readyCount);
        this.threads = new PoolThreads(Math.max(1, Math.min(size, Runtime.getRuntime().availableProcessors())));
    }

    /**
     * A pool for an environment fewer jobs ask for: empty until a job of it comes, then kept at {@code size} while
     * they keep coming, and empty again after {@code maxIdle} without one ({@code minIdle} 0).
     */
    public static SandboxPool sizedByUse(SandboxPreparer preparer, Environment environment, PoolProperties settings,
            int concurrency, MeterRegistry meters) {
        return new SandboxPool(preparer, environment, settings, 0, concurrency, meters);
    }

    /** Starts filling the pool and its upkeep rounds; a pool of size 0 stays empty, so every job starts cold. */
    public void start() {
        if (size > 0) {
            Duration quarter = maxIdle.dividedBy(4);
            threads.every(quarter.compareTo(MAX_UPKEEP_INTERVAL) > 0 ? MAX_UPKEEP_INTERVAL : quarter, this::upkeep);
        }
    }

    /** Nothing for a target of another environment: it is another pool's to serve. */
    @Override
    public Optional<WarmSandbox> take(JobId jobId, SandboxTarget target) {
        if (!target.environment().equals(environment.name())) {
            return Optional.empty();
        }
        String wantedImageId = target.imageId();
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
        closeOwn();
        removeLeftovers(preparer, Set.copyOf(handingOver));
    }

    /** Stops refilling and removes the sandboxes this pool holds ready; once. */
    void closeOwn() {
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
    }

    /** Taken sandboxes not yet named for their job, which a sweep of untaken pool containers must spare. */
    Set<String> handingOver() {
        return Set.copyOf(handingOver);
    }

    /**
     * Removes every pool container of this worker that no job took, including any an earlier removal failed to
     * remove, but those in {@code spared}: taken, and about to be named for their job.
     */
    static void removeLeftovers(SandboxPreparer preparer, Set<String> spared) {
        try {
            preparer.untakenPoolContainers().stream().filter(id -> !spared.contains(id)).forEach(preparer::remove);
        } catch (RuntimeException e) {
            log.warn("could not look for leftover pool containers, the reaper will: {}", e.toString());
        }
    }

    /** Follows the image name to its current id, retires what aged, died or is of an old image, and refills. */
    private void upkeep() {
        try {
            Optional<String> current = preparer.currentImageId(environment.image());
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

    /**
     * Prepares sandboxes one after another until the target, counting those other threads are preparing, is met; a
     * failure waits for the next upkeep round.
     */
    private void fill() {
        while (true) {
            String image;
            synchronized (this) {
                if (closed || imageId == null || ready.size() + preparing >= target()) {
                    return;
                }
                image = imageId;
                preparing++;
                if (ready.size() + preparing < target()) {
                    // why: another preparing thread, if one is free, starts on the rest of the shortfall now
                    threads.refill(this::fill);
                }
            }
            Optional<WarmSandbox> prepared = Optional.empty();
            RetireReason unwanted = null;
            try {
                prepared = prepare(image);
            } finally {
                // why one step: a sandbox stops counting as being prepared in the same step it counts as ready
                synchronized (this) {
                    preparing--;
                    if (prepared.isPresent()) {
                        unwanted = closed ? RetireReason.CLOSED : image.equals(imageId) ? null : RetireReason.IMAGE;
                        if (unwanted == null) {
                            ready.addLast(prepared.get());
                        }
                    }
                }
            }
            if (prepared.isEmpty()) {
                return;
            }
            if (unwanted != null) {
                destroy(new Retired(prepared.get(), unwanted));
            }
        }
    }

    private Optional<WarmSandbox> prepare(String image) {
        long start = System.nanoTime();
        try {
            WarmSandbox sandbox = preparer.prepare(image, environment.defaults());
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
                log.warn("could not prepare a sandbox of {}, its jobs start cold until it works: {}",
                        environment.name(), e.getMessage());
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
