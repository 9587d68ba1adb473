package rrunner.worker.consume;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.springframework.stereotype.Component;
import rrunner.common.job.JobState;
import rrunner.common.queue.ClaimedJob;
import rrunner.worker.sandbox.SandboxOutcome;

/** The worker's job figures: tagged by outcome only, never by job id, so cardinality stays fixed. */
@Component
public class JobMetrics {

    private final MeterRegistry registry;
    private final Timer queueWait;

    public JobMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.queueWait = Timer.builder("rrunner.job.queue.wait")
                .description("Time from acceptance to a worker's claim")
                .publishPercentileHistogram()
                .register(registry);
    }

    void claimed(ClaimedJob job) {
        queueWait.record(Duration.between(job.createdAt(), job.claimedAt()));
    }

    void finished(ClaimedJob job, JobState state, SandboxOutcome outcome) {
        registry.counter("rrunner.jobs.finished", "outcome", state.wireName()).increment();
        Timer.builder("rrunner.job.run").description("Script run time in the sandbox")
                .tag("outcome", state.wireName()).publishPercentileHistogram().register(registry)
                .record(outcome.script());
        Timer.builder("rrunner.job.collect")
                .description("Reading the exit code and artifacts after the script (the sandbox goes after the result)")
                .tag("outcome", state.wireName()).publishPercentileHistogram().register(registry)
                .record(outcome.collect());
        Timer.builder("rrunner.container.ready")
                .description("Time to get a sandbox ready: taking a prepared one, or creating and starting one")
                .publishPercentileHistogram().register(registry)
                .record(outcome.containerReady());
    }

    void released(JobState next) {
        registry.counter("rrunner.jobs.released", "outcome", next.wireName()).increment();
    }
}
