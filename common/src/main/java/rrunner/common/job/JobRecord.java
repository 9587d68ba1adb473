package rrunner.common.job;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A job as stored in Redis.
 *
 * @param attempt how many times a worker has claimed the job; 0 while it waits for its first claim, and it
 *     stays at the last attempt's number after a rescue puts the job back in the queue. A claim its worker handed
 *     back at shutdown (container killed first) is not counted: the number goes back down by one
 * @param maxAttempts after this many claims that ended without a result the job is {@code failed}
 * @param attemptedBy the worker holding (or that last held) the job; null before the first claim
 * @param attemptedAt when the current (or last) attempt was claimed; null before the first claim
 * @param finishedAt set once, when the job reaches a terminal state
 * @param cancelRequested a cancel arrived while the job was running; the worker kills it, or the rescuer
 *     cancels it when the worker is gone
 * @param errors one per attempt that ended without a result, oldest first, including claims handed back at shutdown
 *     (which share their attempt number with the claim after them)
 * @param result set with the terminal state when a script ran; null for cancelled jobs and jobs given up
 * @param timings how long the phases of the attempt that ended the job took, written with its terminal state by the
 *     worker; null while the job is unfinished, when no worker ended it (cancelled while queued or after its worker
 *     died, given up after its attempts) and for jobs stored before timings were
 */
public record JobRecord(
        JobId id,
        JobSpec spec,
        JobState state,
        Instant createdAt,
        int attempt,
        int maxAttempts,
        String attemptedBy,
        Instant attemptedAt,
        Instant finishedAt,
        boolean cancelRequested,
        List<AttemptError> errors,
        RunResult result,
        RunTimings timings) {

    public JobRecord {
        errors = List.copyOf(errors);
    }

    /**
     * The result a caller sees: the script's own, or for a job given up after its attempts a failed result
     * whose {@code runtime_stderr} says why.
     */
    public Optional<RunResult> visibleResult() {
        if (result != null) {
            return Optional.of(result);
        }
        if (state == JobState.FAILED) {
            return Optional.of(RunResult.ofRuntimeFailure(givenUpReason()));
        }
        return Optional.empty();
    }

    private String givenUpReason() {
        String attempts = errors.stream()
                .map(e -> "attempt " + e.attempt() + ": " + e.message())
                .collect(Collectors.joining("; "));
        return "job failed after " + attempt + " attempt(s) without a result: " + attempts;
    }
}
