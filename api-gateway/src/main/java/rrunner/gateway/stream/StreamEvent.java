package rrunner.gateway.stream;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.net.URI;
import org.springframework.http.HttpStatus;
import rrunner.common.event.JobEvent;
import rrunner.common.job.JobId;
import rrunner.common.job.RunResult;
import rrunner.gateway.problem.ProblemType;

/**
 * One event of a job's stream as callers see it: a line of NDJSON, or the JSON data of a Server-Sent Event named
 * by {@link #type()} whose SSE id is {@link #id()}. A stream ends with a {@link Result}, or for a streamed
 * {@code POST /run} the gateway gave up on or a job deleted from Redis while followed, a {@link Failure};
 * {@link KeepAlive}s come in between while it is quiet.
 */
public sealed interface StreamEvent {

    /** The Redis stream entry id, which {@code Last-Event-ID} resumes after; null where there is none. */
    String id();

    String type();

    static StreamEvent of(JobEvent event) {
        return new Progress(event.id(), event.type().wireName(), event.data());
    }

    static boolean isLast(StreamEvent event) {
        return event instanceof Result || event instanceof Failure;
    }

    /**
     * Nothing happened for a while: {@code {"type":"keepalive"}} as an NDJSON line (clients skip types they don't
     * know), a comment in SSE. Sent so that proxies keep a quiet connection open and a client that vanished without
     * closing it is noticed when the write fails.
     */
    record KeepAlive() implements StreamEvent {

        public static final String TYPE = "keepalive";
        static final KeepAlive INSTANCE = new KeepAlive();

        @Override
        @JsonIgnore
        public String id() {
            return null;
        }

        @Override
        @JsonProperty("type")
        public String type() {
            return TYPE;
        }
    }

    /**
     * {@code queued} (data empty, or {@code retry} when a failed attempt put the job back), {@code started}
     * (data: the worker), {@code stdout} and {@code stderr} (data: an output chunk).
     */
    record Progress(
            @JsonProperty("id") String id,
            @JsonProperty("type") String type,
            @JsonProperty("data") String data) implements StreamEvent {
    }

    /** The job ended: its terminal state and, when a script ran, the same result {@code POST /run} returns. */
    @JsonPropertyOrder({"id", "type", "status", "result"})
    record Result(
            @JsonProperty("id") String id,
            @JsonProperty("status") String status,
            @JsonProperty("result") RunResult result) implements StreamEvent {

        public static final String TYPE = "result";

        @Override
        @JsonProperty("type")
        public String type() {
            return TYPE;
        }
    }

    /**
     * The stream ended before the job did, with the problem as its last event: a streamed {@code POST /run} stopped
     * waiting (what a plain {@code /run} would have answered), or the job was deleted from Redis while followed.
     *
     * @param problemType the problem's {@code type} ({@code type} names the event here); null for about:blank,
     *     and then left out
     */
    @JsonPropertyOrder({"type", "status", "detail", "job_id", "problem_type"})
    record Failure(
            @JsonProperty("status") int status,
            @JsonProperty("detail") String detail,
            @JsonProperty("job_id") String jobId,
            @JsonProperty("problem_type") @JsonInclude(JsonInclude.Include.NON_NULL) URI problemType)
            implements StreamEvent {

        public static final String TYPE = "error";

        public Failure(int status, String detail, String jobId) {
            this(status, detail, jobId, null);
        }

        /** The job is no longer in Redis: it expired, or Redis lost its data. Nothing more will come. */
        static Failure gone(JobId id) {
            return new Failure(HttpStatus.NOT_FOUND.value(), "the job was deleted from the job store while it was "
                    + "followed; nothing more will come", id.value(), ProblemType.JOB_GONE.uri());
        }

        @Override
        @JsonIgnore
        public String id() {
            return null;
        }

        @Override
        @JsonProperty("type")
        public String type() {
            return TYPE;
        }
    }
}
