package rrunner.gateway.openapi;

import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.media.MediaType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import rrunner.common.event.JobEventType;
import rrunner.common.job.JobState;
import rrunner.gateway.problem.ProblemType;
import rrunner.gateway.stream.StreamEvent;

/**
 * The two media types a job's events stream in, with examples. OpenAPI 3.1 can't describe a stream's items, so
 * the NDJSON schema is that of one line and the SSE schema a string whose description says how it is framed.
 */
final class EventStreamDocs {

    static final String NDJSON = "application/x-ndjson";
    static final String SSE = "text/event-stream";

    private static final String JOB_ID = "0b7e3c1a-5d2f-4f8e-9a61-3c2d1e0f9b8a";
    private static final String SSE_EXAMPLE = """
            id:1714554000123-0
            event:queued
            data:{"id":"1714554000123-0","type":"queued","data":""}

            id:1714554000140-0
            event:started
            data:{"id":"1714554000140-0","type":"started","data":"worker-7f3a"}

            id:1714554000561-0
            event:stdout
            data:{"id":"1714554000561-0","type":"stdout","data":"[1] 5\\n"}

            id:1714554000702-0
            event:result
            data:{"id":"1714554000702-0","type":"result","status":"succeeded","result":{"success":true,\
            "exit_code":0,"stdout":"[1] 5\\n","stderr":"","runtime_stderr":"","artifacts":[]}}

            """;

    private EventStreamDocs() {
    }

    /** One JSON object per line; {@code lineSchema} is the schema of a line. */
    static MediaType ndjson(String lineSchema) {
        Map<String, Example> examples = new LinkedHashMap<>();
        examples.put("queued", example("The first line of every job.",
                progress("1714554000123-0", JobEventType.QUEUED, "")));
        examples.put("stdout", example("A chunk of standard output, as the script printed it.",
                progress("1714554000561-0", JobEventType.STDOUT, "[1] 5\n")));
        examples.put("keepalive", example("Sent every STREAM_KEEP_ALIVE_INTERVAL (15 s by default) while the job "
                + "runs; it has no id and carries nothing, so skip it.", Map.of("type", StreamEvent.KeepAlive.TYPE)));
        examples.put("result", example("The last line: the final state and the run's result.", resultEvent()));
        if (lineSchema.equals(JobSchemas.RUN_EVENT)) {
            examples.put("error", example("The last line instead of result when the gateway stopped waiting.",
                    errorEvent()));
        }
        examples.put("gone", example("The last line instead of result when the job was deleted from the job "
                + "store while followed.", goneEvent()));
        return new MediaType().schema(ApiSchemas.ref(lineSchema)).examples(examples);
    }

    static MediaType sse() {
        return new MediaType()
                .schema(ApiSchemas.string("Server-Sent Events. Each event has id: the event id, event: its type "
                        + "and data: the same JSON object an NDJSON line carries. A ':keep-alive' comment line is "
                        + "sent every STREAM_KEEP_ALIVE_INTERVAL (15 s by default) in place of the NDJSON keepalive "
                        + "line. After a disconnect, reconnect with Last-Event-ID to get only what followed."))
                .example(SSE_EXAMPLE);
    }

    private static Example example(String summary, Object value) {
        return new Example().summary(summary).value(value);
    }

    private static Map<String, Object> progress(String id, JobEventType type, String data) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("id", id);
        event.put("type", type.wireName());
        event.put("data", data);
        return event;
    }

    private static Map<String, Object> resultEvent() {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("success", true);
        result.put("exit_code", 0);
        result.put("stdout", "[1] 5\n");
        result.put("stderr", "");
        result.put("runtime_stderr", "");
        result.put("artifacts", List.of());
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("id", "1714554000702-0");
        event.put("type", StreamEvent.Result.TYPE);
        event.put("status", JobState.SUCCEEDED.wireName());
        event.put("result", result);
        return event;
    }

    private static Map<String, Object> goneEvent() {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", StreamEvent.Failure.TYPE);
        event.put("status", 404);
        event.put("detail", "the job was deleted from the job store while it was followed; nothing more will come");
        event.put("job_id", JOB_ID);
        event.put("problem_type", ProblemType.JOB_GONE.uri().toString());
        return event;
    }

    private static Map<String, Object> errorEvent() {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", StreamEvent.Failure.TYPE);
        event.put("status", 504);
        event.put("detail", "no result within 60 s after a worker took the job "
                + "(its timeout + RUN_RESULT_GRACE_SECONDS); the job is cancelled");
        event.put("job_id", JOB_ID);
        event.put("problem_type", ProblemType.RESULT_OVERDUE.uri().toString());
        return event;
    }
}
