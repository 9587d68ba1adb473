package rrunner.gateway.openapi;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import rrunner.gateway.problem.ProblemType;

/**
 * Documents {@code POST /run}'s body, result, event streams and every error it answers. Runs after springdoc has
 * read the controllers, so these hand-written schemas replace any it inferred from the Java types.
 */
public final class RunOperationDocs implements OpenApiCustomizer {

    static final String JSON = "application/json";
    private static final String SERVER_TIMING = "Server-Timing";

    private final ProblemResponses problems = new ProblemResponses("/run");

    @Override
    public void customise(OpenAPI api) {
        ApiSchemas.all().forEach(api.getComponents()::addSchemas);
        Operation run = api.getPaths().get("/run").getPost();
        run.description("Runs the script in a fresh, network-less, locked-down R container and waits for it. A "
                + "script that fails (stop(), quit(status = 3)) is still a 200 with success false. With Accept: "
                + "application/x-ndjson or text/event-stream the answer is the job's events as they happen, ending "
                + "with its result (errors found before the job is queued are still problem responses). A caller "
                + "that disconnects before the result cancels the job (RUN_CANCEL_ON_DISCONNECT), and so does an "
                + "answer with an error instead of the result (504, or a stream's error event). Every answer "
                + "that is not streamed, errors other than 401 included, has a Server-Timing header saying where "
                + "the time went.");
        run.requestBody(requestBody());
        run.responses(new ApiResponses()
                .addApiResponse("200", new ApiResponse()
                        .description("The script ran; success says whether it exited with status 0. Streamed: the "
                                + "job's events; a job no worker took in time ends with status cancelled, a job "
                                + "with no result in time with an error event.")
                        .content(new Content()
                                .addMediaType(JSON, new MediaType()
                                        .schema(ApiSchemas.ref(ApiSchemas.RUN_RESULT))
                                        .example(resultExample()))
                                .addMediaType(EventStreamDocs.NDJSON, EventStreamDocs.ndjson(JobSchemas.RUN_EVENT))
                                .addMediaType(EventStreamDocs.SSE, EventStreamDocs.sse()))
                        .addHeaderObject(SERVER_TIMING, serverTiming()))
                .addApiResponse("400", problems.problem("The body is not JSON.", 400,
                        "request body is not valid JSON: Unexpected end-of-input (line 1, column 12)"))
                .addApiResponse("401", problems.unauthorized())
                .addApiResponse("408", problems.problem("The script ran past RUN_TIMEOUT_SECONDS and was stopped; "
                        + "the output it printed until then is in stdout and stderr.", 408,
                        "script ran past RUN_TIMEOUT_SECONDS (30 s) and was stopped", timedOutExample())
                        .addHeaderObject(SERVER_TIMING, serverTiming()))
                .addApiResponse("409", problems.problem("The job was cancelled before it finished.", 409,
                        "the job was cancelled before it finished"))
                .addApiResponse("413", problems.problem("The script is over MAX_SCRIPT_BYTES (the body is refused "
                        + "while it streams in, before it is buffered).", 413,
                        "script is 612000 bytes, over MAX_SCRIPT_BYTES (500000)"))
                .addApiResponse("422", unprocessable(problems))
                .addApiResponse("429", problems.retryLater("Too many jobs are waiting; retry after Retry-After "
                        + "seconds.", 429, "the queue is full (1000 jobs waiting); retry later"))
                .addApiResponse("503", unavailable(problems, true))
                .addApiResponse("504", problems.problem("A worker took the job but no result came in time; the job "
                        + "was cancelled.", 504,
                        "no result within 60 s after a worker took the job "
                                + "(RUN_TIMEOUT_SECONDS + RUN_RESULT_GRACE_SECONDS); the job is cancelled")));
    }

    private static Header serverTiming() {
        return ProblemResponses.header("Where the time went, in milliseconds (W3C Server Timing): queue (from "
                + "acceptance until a worker took the attempt that ended the job), acquire (getting a sandbox "
                + "ready; desc warm for one prepared ahead, cold for one started for the job), run (the "
                + "script), collect (exit code, artifacts, removing the sandbox) and total (request to answer, "
                + "as the gateway measured it). A job given up after its attempts has no worker phases; an "
                + "answer before any job ended has only total. Streamed answers have none.")
                .example("queue;dur=12.3, acquire;dur=4.0;desc=\"warm\", run;dur=310.2, collect;dur=41.0, "
                        + "total;dur=380.5");
    }

    /** Shared with {@code POST /jobs}, which queues the same way but never waits for a worker. */
    static ApiResponse unavailable(ProblemResponses problems, boolean waitsForAWorker) {
        Map<String, Example> examples = new LinkedHashMap<>();
        if (waitsForAWorker) {
            examples.put("no-worker", problems.example("No worker took the job in time; it was withdrawn.", null,
                    503, "no worker picked the job up within 60 s (RUN_QUEUE_TIMEOUT_SECONDS); the job was "
                            + "withdrawn, retry later"));
        }
        examples.put("unavailable", problems.example("Redis, the job store, does not answer.", null, 503,
                "the job store is unavailable; retry later"));
        examples.put("full", problems.example("Redis is at its memory limit and refuses new jobs.",
                ProblemType.JOB_STORE_FULL, 503, "the job store is full and takes no new jobs; retry later"));
        return problems.retryLater((waitsForAWorker ? "No worker took the job in time, or the" : "The")
                + " job store is unavailable or full; retry after Retry-After seconds.", examples);
    }

    /** Shared with {@code POST /jobs}, which reads its body the same way. */
    static ApiResponse unprocessable(ProblemResponses problems) {
        Map<String, Example> examples = new LinkedHashMap<>();
        examples.put("shape", problems.example("Not an object with a string field script.", null, 422,
                "missing required field \"script\"; send {\"script\": \"<R source>\"}"));
        examples.put("duplicate", problems.example("A key named twice (also in nested objects): readers disagree "
                + "on which one counts, so none is taken.", ProblemType.DUPLICATE_PROPERTY, 422,
                "request body names a property twice: Duplicate Object property \"script\" (line 1, column 30); "
                        + "send each field once"));
        return problems.problems("The body is JSON but not an object with a string field script, or it names a "
                + "key twice.", examples);
    }

    /** Shared with {@code POST /jobs}, which takes the same body. */
    static RequestBody requestBody() {
        return new RequestBody().required(true)
                .description("The script. Accepted whatever the Content-Type says (curl -d sends a form type).")
                .content(new Content().addMediaType(JSON, new MediaType()
                        .schema(ApiSchemas.ref(ApiSchemas.RUN_REQUEST))
                        .example(Map.of("script", "x <- c(2, 4, 9)\ncat(mean(x))\nwrite.csv(data.frame(x = x), "
                                + "\"x.csv\", row.names = FALSE)"))));
    }

    static Map<String, Object> resultExample() {
        Map<String, Object> example = new LinkedHashMap<>();
        example.put("success", true);
        example.put("exit_code", 0);
        example.put("stdout", "5");
        example.put("stderr", "");
        example.put("runtime_stderr", "");
        example.put("artifacts", List.of(Map.of("filename", "x.csv", "mime_type", "text/csv", "encoding", "utf-8",
                "content", "\"x\"\n2\n4\n9\n")));
        return example;
    }

    private static Map<String, Object> timedOutExample() {
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("job_id", "0b7e3c1a-5d2f-4f8e-9a61-3c2d1e0f9b8a");
        extra.put("stdout", "step 1\n");
        extra.put("stderr", "");
        return extra;
    }
}
