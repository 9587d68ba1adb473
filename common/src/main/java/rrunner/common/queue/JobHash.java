package rrunner.common.queue;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import rrunner.common.job.AttemptError;
import rrunner.common.job.JobId;
import rrunner.common.job.JobRecord;
import rrunner.common.job.JobSpec;
import rrunner.common.job.JobState;
import rrunner.common.job.RunResult;
import rrunner.common.job.RunTimings;
import rrunner.common.json.JsonCodec;

/**
 * Reads a job hash as the Lua scripts write it, and encodes the fields they store as given. Field names here and
 * in the scripts must agree.
 */
final class JobHash {

    private JobHash() {
    }

    static JobRecord toRecord(JobId id, Map<String, String> hash) {
        String result = hash.get("result");
        String timings = hash.get("timings");
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
                result == null || result.isEmpty() ? null : JsonCodec.read(result, RunResult.class),
                timings == null || timings.isEmpty()
                        ? null : JsonCodec.read(timings, StoredTimings.class).toRunTimings());
    }

    /** The {@code timings} field as {@code finish} stores it: '' for none. */
    static String timingsField(RunTimings timings) {
        return timings == null ? "" : JsonCodec.write(StoredTimings.of(timings));
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

    /**
     * Timings as whole microseconds: the {@code Server-Timing} header shows tenths of a millisecond, and plain
     * numbers keep the stored field small and independent of how a JSON library writes durations.
     */
    private record StoredTimings(
            @JsonProperty("acquire_us") long acquire,
            @JsonProperty("script_us") long script,
            @JsonProperty("collect_us") long collect,
            @JsonProperty("warm") boolean warm) {

        static StoredTimings of(RunTimings timings) {
            return new StoredTimings(micros(timings.acquire()), micros(timings.script()), micros(timings.collect()),
                    timings.warm());
        }

        RunTimings toRunTimings() {
            return new RunTimings(Duration.of(acquire, ChronoUnit.MICROS), Duration.of(script, ChronoUnit.MICROS),
                    Duration.of(collect, ChronoUnit.MICROS), warm);
        }

        private static long micros(Duration duration) {
            return duration.toNanos() / 1_000;
        }
    }
}
