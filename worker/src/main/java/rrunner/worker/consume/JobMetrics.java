package rrunner.worker.consume;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumSet;
import org.springframework.stereotype.Component;
import rrunner.common.job.JobState;
import rrunner.common.queue.ClaimedJob;
import rrunner.worker.sandbox.SandboxOutcome;

/** The worker's job figures: tagged by outcome only, never by job id, so cardinality stays fixed. */
@Component
public class JobMetrics {

    static final String QUEUE_WAIT = "rrunner.job.queue.wait";
    static final String FINISHED = "rrunner.jobs.finished";
    static final String RUN = "rrunner.job.run";
    static final String COLLECT = "rrunner.job.collect";
    static final String CONTAINER_READY = "rrunner.container.ready";
    static final String RELEASED = "rrunner.jobs.released";

    /** What a handed-back job can become (the queue's {@code retry_or_end}): counted from startup, so 0, not no data. */
    private static final EnumSet<JobState> RELEASE_OUTCOMES =
            EnumSet.of(JobState.QUEUED, JobState.FAILED, JobState.CANCELLED);

    private final MeterRegistry registry;
    private final Timer queueWait;

    public JobMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.queueWait = Timer.builder(QUEUE_WAIT)
                .description("Time from acceptance to a worker's claim")
                .publishPercentileHistogram()
                .register(registry);
        RELEASE_OUTCOMES.forEach(this::releasedCounter);
    }

    void claimed(ClaimedJob job) {
        queueWait.record(Duration.between(job.createdAt(), job.claimedAt()));
    }

    void finished(ClaimedJob job, JobState state, SandboxOutcome outcome) {
        registry.counter(FINISHED, "outcome", state.wireName()).increment();
        Timer.builder(RUN).description("Script run time in the sandbox")
                .tag("outcome", state.wireName()).publishPercentileHistogram().register(registry)
                .record(outcome.script());
        Timer.builder(COLLECT)
                .description("Reading the exit code and artifacts after the script (the sandbox goes after the result)")
                .tag("outcome", state.wireName()).publishPercentileHistogram().register(registry)
                .record(outcome.collect());
        Timer.builder(CONTAINER_READY)
                .description("Time to get a sandbox ready: taking a prepared one, or creating and starting one")
                .publishPercentileHistogram().register(registry)
                .record(outcome.containerReady());
    }

    void released(JobState next) {
        releasedCounter(next).increment();
    }

    /** Registers the counter on first use and returns the same one after. */
    private Counter releasedCounter(JobState next) {
        return Counter.builder(RELEASED).description("Jobs handed back to the queue")
                .tag("outcome", next.wireName()).register(registry);
    }
}
