package rrunner.worker.pool;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pool's own threads, apart from the job threads so a job never waits on pool work: up to {@code preparers}
 * prepare sandboxes, each one at a time; one more runs upkeep rounds, removals and the naming of taken sandboxes.
 * Background work handed in after shutdown runs on the caller's thread instead, so a removal is never dropped.
 */
final class PoolThreads {

    private static final Logger log = LoggerFactory.getLogger(PoolThreads.class);

    private final ExecutorService preparing;
    private final ScheduledExecutorService background =
            Executors.newSingleThreadScheduledExecutor(daemon("rrunner-pool-upkeep"));
    private final AtomicBoolean refillQueued = new AtomicBoolean();

    PoolThreads(int preparers) {
        this.preparing = Executors.newFixedThreadPool(preparers, daemon("rrunner-pool-prepare"));
    }

    void every(Duration interval, Runnable task) {
        background.scheduleWithFixedDelay(task, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Queues {@code fill} on a preparing thread unless a run of it is already waiting for one: a take while every
     * preparing thread is busy leaves one run queued, and takes in quick succession start runs side by side.
     */
    void refill(Runnable fill) {
        if (!refillQueued.compareAndSet(false, true)) {
            return;
        }
        try {
            preparing.execute(() -> {
                refillQueued.set(false);
                fill.run();
            });
        } catch (RejectedExecutionException shutDown) {
            refillQueued.set(false);
        }
    }

    void inBackground(Runnable task) {
        try {
            background.execute(task);
        } catch (RejectedExecutionException shutDown) {
            task.run();
        }
    }

    /**
     * Lets the work already handed in finish, without interrupting it: the Docker client's socket channels close
     * under an interrupted thread, which would fail the removal of a sandbox being prepared.
     */
    void shutdownAndAwait(Duration wait) {
        preparing.shutdown();
        background.shutdown();
        try {
            long deadline = System.nanoTime() + wait.toNanos();
            boolean done = preparing.awaitTermination(wait.toNanos(), TimeUnit.NANOSECONDS)
                    && background.awaitTermination(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (!done) {
                log.warn("pool threads did not finish within {}", wait);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
