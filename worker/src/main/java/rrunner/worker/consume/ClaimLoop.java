package rrunner.worker.consume;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import rrunner.common.queue.ClaimedJob;
import rrunner.common.queue.JobQueue;
import rrunner.common.queue.WorkSignal;

/**
 * Takes jobs while this worker has free slots. One thread claims; each job runs on a bounded executor sized by
 * the concurrency, so Docker's blocking calls never touch Reactor threads. On shutdown it stops claiming, lets
 * running jobs finish within the grace period, and hands the rest back to the queue, each once its container is
 * gone. Leases are renewed throughout by the {@link LifelineSchedule}, which stops only after this loop did.
 */
public class ClaimLoop implements SmartLifecycle {

    /** Stops first among the worker's lifecycles; see {@link LifelineSchedule#PHASE}. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE;

    private static final Logger log = LoggerFactory.getLogger(ClaimLoop.class);
    private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(10);
    /** Killing, removing and handing back a job takes well under a second; a job thread slower than this is stuck. */
    private static final Duration HAND_BACK_WAIT = Duration.ofSeconds(10);

    private final JobQueue queue;
    private final WorkSignal signal;
    private final JobExecution execution;
    private final ActiveJobs active;
    private final JobStopper stopper;
    private final String workerId;
    private final Duration pollInterval;
    private final Duration shutdownGrace;
    private final Semaphore slots;
    private final ExecutorService executor;
    private volatile boolean running;
    private Thread loop;

    public ClaimLoop(JobQueue queue, WorkSignal signal, JobExecution execution, ActiveJobs active,
            JobStopper stopper, String workerId, int concurrency, Duration pollInterval, Duration shutdownGrace) {
        this.queue = queue;
        this.signal = signal;
        this.execution = execution;
        this.active = active;
        this.stopper = stopper;
        this.workerId = workerId;
        this.pollInterval = pollInterval;
        this.shutdownGrace = shutdownGrace;
        this.slots = new Semaphore(concurrency);
        this.executor = Executors.newFixedThreadPool(concurrency, new CustomizableThreadFactory("job-"));
    }

    @Override
    public void start() {
        running = true;
        loop = new Thread(this::claimWhileRunning, "claim-loop");
        loop.start();
        log.info("worker {} is taking jobs ({} at a time)", workerId, slots.availablePermits());
    }

    private void claimWhileRunning() {
        while (running) {
            try {
                if (slots.tryAcquire(pollInterval.toMillis(), TimeUnit.MILLISECONDS)) {
                    claimIntoFreeSlot();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (running) {
                    log.warn("could not claim a job, trying again in {}: {}", pollInterval, e.toString());
                    pause();
                }
            }
        }
    }

    /** Holds one slot on entry; the slot goes back unless a job now runs in it. */
    private void claimIntoFreeSlot() {
        ClaimedJob claim;
        long sentAt = System.nanoTime();
        try {
            claim = queue.claim(workerId).block(REDIS_TIMEOUT);
        } catch (RuntimeException e) {
            slots.release();
            throw e;
        }
        if (claim == null) {
            slots.release();
            signal.await(pollInterval).block();
            return;
        }
        // why here, not on the job's thread: renewals cover the lease from the moment Redis granted it
        ActiveJob job = active.add(claim, sentAt);
        executor.execute(() -> {
            try {
                execution.execute(job);
            } finally {
                slots.release();
            }
        });
    }

    private void pause() {
        try {
            Thread.sleep(pollInterval.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void stop() {
        running = false;
        try {
            // why not interrupt: a claim Redis already granted must reach the executor, or the job would sit
            // under a lease nobody renews until it expires; the loop notices within one poll or claim
            loop.join(pollInterval.plus(REDIS_TIMEOUT).toMillis());
            executor.shutdown();
            if (!executor.awaitTermination(shutdownGrace.toMillis(), TimeUnit.MILLISECONDS)) {
                handBackUnfinishedJobs();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            active.all().forEach(job -> stopper.stop(job, StopReason.HANDED_BACK));
        }
    }

    /**
     * Kills each unfinished job's container; each job's thread then hands its job back, so the job is never queued
     * while its container could still run. A thread stuck past the wait leaves its job to the rescuer: the lease
     * lapses once this worker stops renewing it.
     */
    private void handBackUnfinishedJobs() throws InterruptedException {
        active.all().forEach(job -> stopper.stop(job, StopReason.HANDED_BACK));
        if (!executor.awaitTermination(HAND_BACK_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            log.warn("{} job(s) did not let go within {}; left to the rescuer", active.size(), HAND_BACK_WAIT);
            executor.shutdownNow();
        }
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
