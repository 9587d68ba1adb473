package rrunner.common.queue;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import rrunner.common.job.AttemptError;
import rrunner.common.job.JobId;
import rrunner.common.job.JobRecord;
import rrunner.common.job.JobSpec;
import rrunner.common.job.JobState;
import rrunner.common.job.RunResult;
import rrunner.common.json.JsonCodec;

/** Reads a job hash as the Lua scripts write it. Field names here and in the scripts must agree. */
final class JobHash {

    private JobHash() {
    }

    static JobRecord toRecord(JobId id, Map<String, String> hash) {
        String result = hash.get("result");
        return new JobRecord(
                id,
                JsonCodec.read(hash.get("spec"), JobSpec.class),
                JobState.fromWireName(hash.get("state")),
                instant(hash.get("created_at")),
                Integer.parseInt(hash.getOrDefault("attempt", "0")),
                Integer.parseInt(hash.getOrDefault("max_attempts", "1")),
                hash.get("attempted_by"),
                instant(hash.get("attempted_at")),
                instant(hash.get("finished_at")),
                "1".equals(hash.get("cancel")),
                errors(hash.get("errors")),
                result == null || result.isEmpty() ? null : JsonCodec.read(result, RunResult.class));
    }

    private static Instant instant(String millis) {
        return millis == null ? null : Instant.ofEpochMilli(Long.parseLong(millis));
    }

    private static List<AttemptError> errors(String lines) {
        if (lines == null || lines.isEmpty()) {
            return List.of();
        }
        return Arrays.stream(lines.split("\n"))
                .map(line -> JsonCodec.read(line, StoredError.class))
                .map(StoredError::toAttemptError)
                .toList();
    }

    /** An attempt error as {@code append_error} encodes it: the time as epoch millis. */
    private record StoredError(
            @JsonProperty("attempt") int attempt,
            @JsonProperty("worker") String worker,
            @JsonProperty("at") long at,
            @JsonProperty("message") String message) {

        AttemptError toAttemptError() {
            return new AttemptError(attempt, worker, Instant.ofEpochMilli(at), message);
        }
    }
}
