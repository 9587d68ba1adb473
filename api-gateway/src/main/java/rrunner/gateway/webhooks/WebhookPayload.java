package rrunner.gateway.webhooks;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import rrunner.common.job.JobRecord;
import rrunner.common.job.JobStatus;

/**
 * The body of a webhook, in the Standard Webhooks envelope: {@code type}, {@code timestamp} and {@code data}. why no
 * result: a result can hold megabytes of output and artifacts, so {@code data} summarises the job and links to
 * {@code GET /jobs/{id}}, where the receiver reads the result with its token. The same for every attempt.
 *
 * @param type always {@code job.finished}
 * @param timestamp when the job ended
 * @param data the job
 */
record WebhookPayload(
        @JsonProperty("type") String type,
        @JsonProperty("timestamp") Instant timestamp,
        @JsonProperty("data") Job data) {

    static final String JOB_FINISHED = "job.finished";

    /**
     * The ended job, as {@code GET /jobs/{id}} shows it, without its result.
     *
     * @param id the job's id, which also names the delivery ({@code webhook-id})
     * @param status succeeded, failed, timed_out or cancelled
     * @param url where the job, with its result, is read
     */
    record Job(
            @JsonProperty("id") String id,
            @JsonProperty("status") String status,
            @JsonProperty("created_at") Instant createdAt,
            @JsonProperty("finished_at") Instant finishedAt,
            @JsonProperty("attempt") int attempt,
            @JsonProperty("environment") String environment,
            @JsonProperty("url") String url) {
    }

    static WebhookPayload of(JobRecord job, String publicBaseUrl) {
        return new WebhookPayload(JOB_FINISHED, job.finishedAt(), new Job(job.id().value(),
                JobStatus.of(job).wireName(), job.createdAt(), job.finishedAt(), job.attempt(),
                job.spec().environment(), publicBaseUrl + "/jobs/" + job.id()));
    }
}
