package rrunner.common.event;

import java.util.Objects;

/**
 * One entry of a job's event stream.
 *
 * @param id the Redis stream entry id ({@code 1700000000000-0}); null before the event is stored
 * @param data an output chunk for {@code stdout}/{@code stderr}, the attempt's worker for {@code started},
 *     the terminal state for {@code finished}, empty otherwise
 */
public record JobEvent(String id, JobEventType type, String data) {

    public JobEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
    }

    public static JobEvent of(JobEventType type, String data) {
        return new JobEvent(null, type, data);
    }
}
