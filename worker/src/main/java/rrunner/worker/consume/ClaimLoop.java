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
import rrunner.worker.sandbox.ContainerRunner;

/**
 * Takes jobs while this worker has free slots. One thread claims; each job runs on a bounded executor sized by
 * the concurrency, so Docker's blocking calls never touch Reactor threads. On shutdown it stops claiming, lets
 * running jobs finish within the grace period, and hands the rest back to the queue. Leases are renewed throughout
 * by the {@link LifelineSchedule}, which stops only after this loop did.
 */
public class ClaimLoop implements SmartLifecycle {

    /** Stops first among the worker's lifecycles; see {@link LifelineSchedule#PHASE}. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE;

    private static final Logger log = LoggerFactory.getLogger(ClaimLoop.class);
    private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration CONTAINER_REMOVAL_WAIT = Duration.ofSeconds(10);

    private final JobQueue queue;
    private final WorkSignal signal;
    private final JobExecution execution;
    private final ActiveJobs active;
    private final ContainerRunner runner;
    private final String workerId;
    private final Duration pollInterval;
    private final Duration shutdownGrace;
    private final Semaphore slots;
    private final ExecutorService executor;
    private volatile boolean running;
    private Thread loop;

    public ClaimLoop(JobQueue queue, WorkSignal signal, JobExecution execution, ActiveJobs active,
            ContainerRunner runner, String workerId, int concurrency, Duration pollInterval,
            Duration shutdownGrace) {
        this.queue = queue;
        this.signal = signal;
        this.execution = execution;
        this.active = active;
        this.runner = runner;
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
        ClaimedJob job;
        try {
            job = queue.claim(workerId).block(REDIS_TIMEOUT);
        } catch (RuntimeException e) {
            slots.release();
            throw e;
        }
        if (job == null) {
            slots.release();
            signal.await(pollInterval).block();
            return;
        }
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
            handBackUnfinishedJobs();
        }
    }

    private void handBackUnfinishedJobs() {
        for (ClaimedJob job : active.all()) {
            try {
                queue.release(job, "worker " + workerId + " shut down").block(REDIS_TIMEOUT);
            } catch (RuntimeException e) {
                log.warn("job {} left to the rescuer: {}", job.id(), e.toString());
            }
            runner.cancel(job.id());
        }
        executor.shutdownNow();
        try {
            // why: the job threads remove their killed containers; give them that moment before the JVM exits
            executor.awaitTermination(CONTAINER_REMOVAL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
