package rrunner.worker.consume;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.scheduler.Schedulers;
import rrunner.worker.sandbox.ContainerRunner;
import rrunner.worker.session.HostedSessions;

/**
 * Stops a job wherever its thread is: before the script's run, the recorded reason alone keeps the run from
 * starting; during it, the runner kills the container, and the job's thread then acts on the reason.
 */
public class JobStopper {

    private static final Logger log = LoggerFactory.getLogger(JobStopper.class);
    /** Longest a kill is retried while the runner does not know the job yet (see {@link #kill}). */
    private static final Duration KILL_RETRY_LIMIT = Duration.ofSeconds(10);
    private static final Duration KILL_RETRY_PAUSE = Duration.ofMillis(20);

    private final ContainerRunner runner;
    private final HostedSessions sessions;

    /** @param sessions where an exec in a session runs: it is interrupted there, and its session lives on */
    public JobStopper(ContainerRunner runner, HostedSessions sessions) {
        this.runner = runner;
        this.sessions = sessions;
    }

    /** Returns at once: the kill, a blocking Docker call, runs elsewhere, so callers may be event-loop threads. */
    void stop(ActiveJob job, StopReason reason) {
        if (job.requestStop(reason)) {
            Schedulers.boundedElastic().schedule(() -> kill(job));
        }
    }

    /**
     * why a retry: between the job's thread passing its last stop check and the runner registering the job there is
     * a moment in which a cancel finds nothing to kill, and the run would go on; the kill is sent again until the
     * runner takes it or the run is over.
     */
    private void kill(ActiveJob job) {
        long deadline = System.nanoTime() + KILL_RETRY_LIMIT.toNanos();
        while (!runner.cancel(job.claim().id()) && !sessions.interrupt(job.claim().id()) && job.isRunning()) {
            if (System.nanoTime() - deadline > 0) {
                log.warn("job {}: the runner never took the kill; its run goes on", job.claim().id());
                return;
            }
            try {
                TimeUnit.MILLISECONDS.sleep(KILL_RETRY_PAUSE.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
