package rrunner.gateway.jobs;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import rrunner.common.job.AttemptError;
import rrunner.common.job.JobRecord;
import rrunner.common.job.JobState;
import rrunner.common.job.JobStatus;
import rrunner.common.job.RunResult;

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
        @JsonProperty("errors") List<AttemptError> errors) {

    static JobView of(JobRecord job) {
        return new JobView(job.id().value(), JobStatus.of(job).wireName(), job.createdAt(),
                job.state() == JobState.QUEUED ? null : job.attemptedAt(), job.finishedAt(), job.attempt(),
                job.maxAttempts(), job.visibleResult().orElse(null), job.errors());
    }
}
