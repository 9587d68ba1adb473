package rrunner.common.queue;

import static rrunner.common.queue.JobField.ATTEMPT;
import static rrunner.common.queue.JobField.ATTEMPTED_AT;
import static rrunner.common.queue.JobField.ATTEMPTED_BY;
import static rrunner.common.queue.JobField.CANCEL;
import static rrunner.common.queue.JobField.CREATED_AT;
import static rrunner.common.queue.JobField.ERRORS;
import static rrunner.common.queue.JobField.FINISHED_AT;
import static rrunner.common.queue.JobField.MAX_ATTEMPTS;
import static rrunner.common.queue.JobField.RESULT;
import static rrunner.common.queue.JobField.SPEC;
import static rrunner.common.queue.JobField.STATE;
import static rrunner.common.queue.JobField.TIMINGS;

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

/** Reads a job hash as the Lua scripts write it ({@link JobField}), and encodes the fields they store as given. */
final class JobHash {

    private JobHash() {
    }

    static JobRecord toRecord(JobId id, Map<String, String> hash) {
        String result = RESULT.in(hash);
        String timings = TIMINGS.in(hash);
        return new JobRecord(
                id,
                JsonCodec.read(SPEC.in(hash), JobSpec.class),
                JobState.fromWireName(STATE.in(hash)),
                instant(CREATED_AT.in(hash)),
                Integer.parseInt(hash.getOrDefault(ATTEMPT.wireName(), "0")),
                Integer.parseInt(hash.getOrDefault(MAX_ATTEMPTS.wireName(), "1")),
                ATTEMPTED_BY.in(hash),
                instant(ATTEMPTED_AT.in(hash)),
                instant(FINISHED_AT.in(hash)),
                "1".equals(CANCEL.in(hash)),
                errors(ERRORS.in(hash)),
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
