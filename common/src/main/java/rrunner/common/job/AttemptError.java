package rrunner.common.job;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * Why one attempt at a job did not produce a result: the worker died (its lease expired) or the runtime failed
 * (Docker API error, image missing). A script that fails is a result, never an attempt error.
 *
 * @param attempt the attempt number, starting at 1
 * @param worker the worker that held the attempt
 * @param at when the attempt was given up (Redis server time)
 */
public record AttemptError(
        @JsonProperty("attempt") int attempt,
        @JsonProperty("worker") String worker,
        @JsonProperty("at") Instant at,
        @JsonProperty("message") String message) {
}
