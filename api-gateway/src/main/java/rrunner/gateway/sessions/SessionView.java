package rrunner.gateway.sessions;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.Map;
import rrunner.common.job.Limits;
import rrunner.common.session.SessionRecord;

/** A session as the API shows it: its state, its clock, and what it was opened with. */
@Schema(name = "Session")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SessionView(
        @JsonProperty("id") String id,
        @Schema(allowableValues = {"starting", "ready", "busy", "expired", "deleted", "lost"})
        @JsonProperty("status") String status,
        @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("last_used_at") Instant lastUsedAt,
        @Schema(description = "when it expires unless an exec or keepalive comes first")
        @JsonProperty("expires_at") Instant expiresAt,
        @Schema(description = "the end of its life, never extended")
        @JsonProperty("max_expires_at") Instant maxExpiresAt,
        @JsonProperty("ttl_seconds") long ttlSeconds,
        @JsonProperty("exec_count") long execCount,
        @Schema(description = "bytes its workspace allocates, as measured after its last exec")
        @JsonProperty("workspace_bytes") long workspaceBytes,
        @JsonProperty("environment") String environment,
        @JsonProperty("image_id") String imageId,
        @Schema(description = "the worker it lives on, once one took it")
        @JsonProperty("worker") String worker,
        @JsonProperty("limits") Limits limits,
        @JsonProperty("metadata") Map<String, String> metadata,
        @Schema(description = "the exec queued or running in it")
        @JsonProperty("current_job_id") String currentJobId,
        @Schema(description = "why it ended")
        @JsonProperty("reason") String reason,
        @JsonProperty("ended_at") Instant endedAt) {

    public static SessionView of(SessionRecord session) {
        return new SessionView(session.id().value(), session.state().wireName(), session.createdAt(),
                session.lastUsedAt(), session.expiresAt(), session.maxExpiresAt(), session.spec().ttlSeconds(),
                session.execCount(), session.workspaceBytes(), session.spec().environment(), session.imageId(),
                session.worker(), session.spec().limits(), session.spec().metadata(), session.currentJob(),
                session.reason(), session.endedAt());
    }
}
