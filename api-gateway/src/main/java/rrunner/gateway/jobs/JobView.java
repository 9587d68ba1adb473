package rrunner.gateway.jobs;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import rrunner.common.environment.Environment;
import rrunner.common.environment.Environments;
import rrunner.common.job.AttemptError;
import rrunner.common.job.InputFileDigest;
import rrunner.common.job.JobRecord;
import rrunner.common.job.JobSpec;
import rrunner.common.job.JobState;
import rrunner.common.job.JobStatus;
import rrunner.common.job.Limits;
import rrunner.common.job.RunResult;
import rrunner.common.queue.WebhookDelivery;

/**
 * A job as {@code /jobs} answers it. Every field is always present, null while unknown, so generated clients
 * see one shape.
 *
 * @param status the job's {@link JobStatus}: its state, or {@code cancelling} for a running job whose cancel its
 *     worker has not yet carried out
 * @param startedAt when a worker took the current attempt (the last one, once finished); null while queued,
 *     also when a failed attempt put the job back in the queue
 * @param attempt how many times a worker has taken the job; 0 while it waits for the first
 * @param result once finished, the result {@code POST /run} would have returned; null while it runs and for
 *     cancelled jobs
 * @param errors one per attempt that ended without a result (its worker died, the runtime failed)
 * @param environment the environment the job runs in, as the gateway resolved it
 * @param limits the limits the job runs under, every one resolved (the environment's defaults filled in)
 * @param inputFiles the input files it was sent, as digests: there before the job runs, unlike the result's
 *     provenance, which the worker fills in with what it applied
 * @param webhook the delivery of the webhook it was submitted with; null for none
 */
record JobView(
        @JsonProperty("id") String id,
        @JsonProperty("status") String status,
        @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("started_at") Instant startedAt,
        @JsonProperty("finished_at") Instant finishedAt,
        @JsonProperty("attempt") int attempt,
        @JsonProperty("max_attempts") int maxAttempts,
        @JsonProperty("result") RunResult result,
        @JsonProperty("errors") List<AttemptError> errors,
        @JsonProperty("environment") String environment,
        @JsonProperty("limits") Limits limits,
        @JsonProperty("input_files") List<InputFileDigest> inputFiles,
        @JsonProperty("webhook") WebhookView webhook) {

    /**
     * {@code job} as shown; {@code environments} resolves what a job from an older gateway left to the worker (no
     * environment: the default; memory and CPUs 0: the environment's defaults).
     */
    static JobView of(JobRecord job, Environments environments) {
        return of(job, environments, null);
    }

    /** As {@link #of(JobRecord, Environments)}, with its webhook's {@code delivery} (null for none). */
    static JobView of(JobRecord job, Environments environments, WebhookDelivery delivery) {
        JobSpec spec = job.spec();
        Optional<Environment> environment = environments.of(spec);
        Limits defaults = environment.map(Environment::defaults).orElse(new Limits(0, 0, 0));
        Limits limits = new Limits(spec.timeoutSeconds(),
                spec.memoryMb() > 0 ? spec.memoryMb() : defaults.memoryMb(),
                spec.cpus() > 0 ? spec.cpus() : defaults.cpus());
        return new JobView(job.id().value(), JobStatus.of(job).wireName(), job.createdAt(),
                job.state() == JobState.QUEUED ? null : job.attemptedAt(), job.finishedAt(), job.attempt(),
                job.maxAttempts(), job.visibleResult().orElse(null), job.errors(),
                spec.environment() != null ? spec.environment() : environments.defaultEnvironment().name(),
                limits, InputDigests.of(spec.files()), delivery == null ? null : WebhookView.of(delivery));
    }
}
