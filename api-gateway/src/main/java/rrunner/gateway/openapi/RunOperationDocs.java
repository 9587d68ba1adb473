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
    static final String JOB_ID = "0b7e3c1a-5d2f-4f8e-9a61-3c2d1e0f9b8a";
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
                + "that disconnects before the result cancels the job (RUN_CANCEL_ON_DISCONNECT) unless it sent an "
                + "Idempotency-Key (its retry waits for the same job); so does an "
                + "answer with an error instead of the result (504, or a stream's error event). Every answer "
                + "that is not streamed, errors other than 401 included, has a Server-Timing header saying where "
                + "the time went.");
        run.requestBody(requestBody());
        ApiResponse result = new ApiResponse()
                        .description("The script ran; success says whether it exited with status 0. Streamed: the "
                                + "job's events; a job no worker took in time ends with status cancelled, a job "
                                + "with no result in time with an error event.")
                        .content(new Content()
                                .addMediaType(JSON, new MediaType()
                                        .schema(ApiSchemas.ref(ApiSchemas.RUN_RESULT))
                                        .example(resultExample()))
                                .addMediaType(EventStreamDocs.NDJSON, EventStreamDocs.ndjson(JobSchemas.RUN_EVENT))
                                .addMediaType(EventStreamDocs.SSE, EventStreamDocs.sse()))
                        .addHeaderObject(SERVER_TIMING, serverTiming());
        IdempotencyDocs.document(run, result);
        run.responses(new ApiResponses()
                .addApiResponse("200", result)
                .addApiResponse("400", invalidJson(problems))
                .addApiResponse("401", problems.unauthorized())
                .addApiResponse("408", problems.problem("The script ran past its timeout (limits.timeout_seconds) and "
                        + "was stopped; the output it printed until then is in stdout and stderr.",
                        ProblemType.TIMED_OUT, "script ran past its timeout (limits.timeout_seconds: 30 s) and was "
                                + "stopped", timedOutExample())
                        .addHeaderObject(SERVER_TIMING, serverTiming()))
                .addApiResponse("409", problems.problem("The job was cancelled before it finished.",
                        ProblemType.RUN_CANCELLED, "the job was cancelled before it finished", Map.of("job_id", JOB_ID)))
                .addApiResponse("413", tooLarge(problems))
                .addApiResponse("422", unprocessable(problems))
                .addApiResponse("403", forbidden(problems))
                .addApiResponse("429", queueFull(problems))
                .addApiResponse("500", problems.problem("A bug in the gateway; the request may be retried.",
                        ProblemType.INTERNAL_ERROR, "internal error; the request may be retried"))
                .addApiResponse("503", unavailable(problems, true))
                .addApiResponse("504", problems.problem("A worker took the job but no result came in time; the job "
                        + "was cancelled.", ProblemType.RESULT_OVERDUE, "no result within 60 s after a worker took "
                                + "the job (its timeout + RUN_RESULT_GRACE_SECONDS); the job is cancelled",
                        Map.of("job_id", JOB_ID)))
                .addApiResponse("default", frameworkErrors(problems)));
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

    /** Shared with {@code POST /jobs}, which reads its body and Idempotency-Key the same way. */
    static ApiResponse invalidJson(ProblemResponses problems) {
        Map<String, Example> examples = new LinkedHashMap<>();
        examples.put("invalid-json", problems.example("The body is empty or not JSON.", ProblemType.INVALID_JSON,
                "request body is not valid JSON: Unexpected end-of-input (line 1, column 12)"));
        examples.put("invalid-idempotency-key", problems.example("The Idempotency-Key is empty, over 255 "
                + "characters, sent twice or not printable ASCII.", ProblemType.INVALID_IDEMPOTENCY_KEY,
                "an Idempotency-Key has 1 to 255 characters, not 300"));
        return problems.problems("The body is empty or not JSON, or the Idempotency-Key is malformed.", examples);
    }

    static ApiResponse queueFull(ProblemResponses problems) {
        Map<String, Example> examples = new LinkedHashMap<>();
        examples.put("queue-full", problems.example("More than MAX_QUEUE_DEPTH jobs are waiting.",
                ProblemType.QUEUE_FULL, "the queue is full (1000 jobs waiting); retry later"));
        examples.put("tenant-queue-full", problems.example("Your tenant has its max_queued jobs waiting.",
                ProblemType.TENANT_QUEUE_FULL, "tenant acme has 100 jobs waiting, its most (max_queued 100); retry "
                        + "once some ran", Map.of("limit", 100, "current", 100)));
        examples.put("rate-limited", problems.example("Your tenant made its requests_per_minute POSTs.",
                ProblemType.RATE_LIMITED, "tenant acme made its 600 requests of the last minute "
                        + "(requests_per_minute); retry after Retry-After", Map.of("limit", 600, "current", 600)));
        return problems.retryLater("Too many jobs are waiting, or your tenant is at a quota; retry after "
                + "Retry-After seconds.", examples);
    }

    /** Shared with {@code POST /jobs}: the environment exists, but not for the caller's tenant. */
    static ApiResponse forbidden(ProblemResponses problems) {
        return problems.problem("The environment is offered, but not to your tenant.",
                ProblemType.ENVIRONMENT_NOT_ALLOWED, "tenant acme may not use environment \"r-full\"; it may use: "
                        + "r-base", Map.of("environment", "r-full", "allowed", List.of("r-base")));
    }

    /** Shared with {@code POST /jobs}, which queues the same way but never waits for a worker. */
    static ApiResponse unavailable(ProblemResponses problems, boolean waitsForAWorker) {
        Map<String, Example> examples = new LinkedHashMap<>();
        if (waitsForAWorker) {
            examples.put("no-worker", problems.example("No worker took the job in time; it was withdrawn.",
                    ProblemType.NO_WORKER, "no worker picked the job up within 60 s (RUN_QUEUE_TIMEOUT_SECONDS); the "
                            + "job was withdrawn, retry later", Map.of("job_id", JOB_ID)));
            examples.put("job-lost", problems.example("The job vanished from the job store before it finished "
                    + "(Redis lost its data).", ProblemType.JOB_LOST, "the job disappeared from the job store "
                            + "before it finished; retry"));
        }
        examples.put("environment-unavailable", problems.example("Workers are live, but none serves the requested "
                + "environment now (none reports it ready or pulling).", ProblemType.ENVIRONMENT_UNAVAILABLE,
                "no live worker serves environment r-full now (unavailable); retry later, or pick another from "
                        + "GET /environments", Map.of("environment", "r-full")));
        examples.put("unavailable", problems.example("Redis, the job store, does not answer.",
                ProblemType.JOB_STORE_UNAVAILABLE, "the job store is unavailable; retry later"));
        examples.put("full", problems.example("Redis is at its memory limit and refuses new jobs.",
                ProblemType.JOB_STORE_FULL, "the job store is full and takes no new jobs; retry later"));
        return problems.retryLater((waitsForAWorker ? "No worker took the job in time, the job vanished, " : "")
                + "No live worker serves the environment, or the job store is unavailable or full; retry after "
                + "Retry-After seconds.", examples);
    }

    /** Shared with {@code POST /jobs}, which reads its body the same way. */
    static ApiResponse tooLarge(ProblemResponses problems) {
        Map<String, Example> examples = new LinkedHashMap<>();
        examples.put("request", problems.example("The body is over the raw request cap (refused while it streams "
                + "in, before it is buffered).", ProblemType.REQUEST_TOO_LARGE, "request body is over 29679496 "
                        + "bytes, too large for a script within MAX_SCRIPT_BYTES (500000) and input files within "
                        + "MAX_INPUT_BYTES (sent as base64)", Map.of("limit", 29_679_496)));
        examples.put("script", problems.example("The script is over MAX_SCRIPT_BYTES.", ProblemType.SCRIPT_TOO_LARGE,
                "script is 612000 bytes, over MAX_SCRIPT_BYTES (500000)",
                members("script", 612_000, 500_000)));
        examples.put("input-file", problems.example("An input file is over MAX_INPUT_FILE_BYTES (decoded).",
                ProblemType.INPUT_TOO_LARGE, "input file data/big.csv is 6000000 bytes, over MAX_INPUT_FILE_BYTES "
                        + "(5000000)", members("files[0].content", 6_000_000, 5_000_000)));
        examples.put("inputs", problems.example("All input files together are over MAX_INPUT_BYTES (decoded).",
                ProblemType.INPUT_TOO_LARGE, "input files take 21000000 bytes together, over MAX_INPUT_BYTES "
                        + "(20000000)", members("files", 21_000_000, 20_000_000)));
        return problems.problems("The body, the script or the input files are too large.", examples);
    }

    /** Shared with {@code POST /jobs}, which reads its body the same way. */
    static ApiResponse unprocessable(ProblemResponses problems) {
        Map<String, Example> examples = new LinkedHashMap<>();
        examples.put("shape", problems.example("Not an object with a string field script, or a field of the wrong "
                + "type.", ProblemType.INVALID_REQUEST, "missing required field \"script\"; send {\"script\": "
                        + "\"<R source>\"}", Map.of("field", "script")));
        examples.put("duplicate", problems.example("A key named twice (also in nested objects): readers disagree "
                + "on which one counts, so none is taken.", ProblemType.DUPLICATE_PROPERTY,
                "request body names a property twice: Duplicate Object property \"script\" (line 1, column 30); "
                        + "send each field once"));
        examples.put("input-file", problems.example("An input file's path, encoding or content can't be used.",
                ProblemType.INVALID_INPUT_FILE, "files[0]: path has a \"..\" segment; each segment must name a "
                        + "file or directory inside the working directory", Map.of("index", 0, "path", "../a")));
        examples.put("invalid-limit", problems.example("A limit is not a positive number (0 is an error, not the "
                + "default), not whole where it must be, or unknown.", ProblemType.INVALID_LIMIT,
                "limits.memory_mb must be positive, got 0; leave it out for the environment's default",
                Map.of("field", "limits.memory_mb")));
        examples.put("limit-exceeded", problems.example("A limit over the environment's maximum, or more input "
                + "files than MAX_INPUT_FILES; never clamped.", ProblemType.LIMIT_EXCEEDED,
                "limits.memory_mb is 4096, over the most environment r-base allows (2048)",
                members("limits.memory_mb", 4096, 2048)));
        examples.put("unknown-environment", problems.example("The environment is not offered here.",
                ProblemType.UNKNOWN_ENVIRONMENT, "environment \"r-fancy\" is not offered here; available: r-base, "
                        + "r-full", Map.of("environment", "r-fancy", "available", List.of("r-base", "r-full"))));
        examples.put("idempotency-key-reused", problems.example("The Idempotency-Key came first with another "
                + "request; nothing was stored. Send a new key for a new request.", ProblemType.IDEMPOTENCY_KEY_REUSED,
                "this Idempotency-Key was already used with a different request; send a new key for a new request"));
        examples.put("invalid-webhook", problems.example("webhook.url is not an https URL, carries a user or "
                + "password, is too long, spells an IPv4 address oddly, or its host does not resolve.",
                ProblemType.INVALID_WEBHOOK, "webhook.url must be an absolute https:// URL, got http:",
                Map.of("field", "webhook.url")));
        examples.put("webhook-address-forbidden", problems.example("The webhook's host is or resolves to an "
                + "address webhooks may not reach (loopback, private, link-local such as the cloud metadata "
                + "service); nothing was stored.", ProblemType.WEBHOOK_ADDRESS_FORBIDDEN, "webhook host "
                + "169.254.169.254 may not be sent to: 169.254.169.254 is link-local (cloud metadata services live "
                + "here); webhooks go to public addresses only, unless the operator allows the range "
                + "(WEBHOOK_ALLOWED_CIDRS)", Map.of("field", "webhook.url")));
        examples.put("webhook-secret-missing", problems.example("The request asks for a webhook, but the caller's "
                + "tenant has no secret to sign it with.", ProblemType.WEBHOOK_SECRET_MISSING, "tenant acme has no "
                + "webhook secret to sign webhooks with; the operator sets webhook_secrets in RUNNER_TOKENS_FILE (or "
                + "WEBHOOK_SECRETS for the tenant default)"));
        return problems.problems("The body is JSON but not a valid request, its webhook may not be sent, or its "
                + "Idempotency-Key came with another request: see the example for each type.",
                examples);
    }

    /** Errors the web framework answers by itself, the same on every path. */
    static ApiResponse frameworkErrors(ProblemResponses problems) {
        Map<String, Example> examples = new LinkedHashMap<>();
        examples.put("not-found", problems.example("No endpoint at this path.", ProblemType.NOT_FOUND,
                "No static resource nope."));
        examples.put("method-not-allowed", problems.example("The endpoint exists, but not for this method.",
                ProblemType.METHOD_NOT_ALLOWED, "Supported methods: 'POST'"));
        examples.put("not-acceptable", problems.example("No answer type Accept allows.", ProblemType.NOT_ACCEPTABLE,
                "Acceptable representations: [application/json, application/x-ndjson, text/event-stream]."));
        examples.put("http-error", problems.example("Any other status the framework answers by itself.",
                ProblemType.HTTP_ERROR, 415, "Content-Type 'text/xml' is not supported.", Map.of()));
        return problems.problems("Errors the web framework answers by itself, on any path: the status says what.",
                examples);
    }

    private static Map<String, Object> members(String field, long requested, long limit) {
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("field", field);
        members.put("requested", requested);
        members.put("limit", limit);
        return members;
    }

    /** Shared with {@code POST /jobs}, which takes the same body. */
    static RequestBody requestBody() {
        Map<String, Object> example = new LinkedHashMap<>();
        example.put("script", "d <- read.csv(\"data/in.csv\")\ncat(mean(d$x))\n"
                + "write.csv(data.frame(x = d$x * 2), \"x2.csv\", row.names = FALSE)");
        example.put("environment", "r-base");
        example.put("limits", Map.of("timeout_seconds", 60, "memory_mb", 1024));
        example.put("files", List.of(Map.of("path", "data/in.csv", "content", "x\n2\n4\n9\n")));
        return new RequestBody().required(true)
                .description("The script, and optionally its environment, limits and input files. Accepted "
                        + "whatever the Content-Type says (curl -d sends a form type).")
                .content(new Content().addMediaType(JSON, new MediaType()
                        .schema(ApiSchemas.ref(ApiSchemas.RUN_REQUEST))
                        .example(example)));
    }

    static Map<String, Object> resultExample() {
        Map<String, Object> example = new LinkedHashMap<>();
        example.put("success", true);
        example.put("exit_code", 0);
        example.put("stdout", "5");
        example.put("stderr", "");
        example.put("runtime_stderr", "");
        example.put("artifacts", List.of(Map.of("filename", "x2.csv", "mime_type", "text/csv", "encoding", "utf-8",
                "content", "\"x\"\n4\n8\n18\n")));
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("environment", "r-base");
        provenance.put("image_id", "sha256:5d1f0e3b9c2a4f6e8d7c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0e");
        provenance.put("r_version", "R version 4.2.2 Patched (2022-11-10 r83330)");
        provenance.put("limits", limitsExample());
        provenance.put("input_files", List.of(inputFileDigestExample()));
        example.put("provenance", provenance);
        return example;
    }

    static Map<String, Object> limitsExample() {
        Map<String, Object> limits = new LinkedHashMap<>();
        limits.put("timeout_seconds", 60);
        limits.put("memory_mb", 1024);
        limits.put("cpus", 1.0);
        return limits;
    }

    static Map<String, Object> inputFileDigestExample() {
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("path", "data/in.csv");
        file.put("size", 9);
        file.put("sha256", "4b5c3f0e9a8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b");
        return file;
    }

    private static Map<String, Object> timedOutExample() {
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("job_id", JOB_ID);
        extra.put("timeout_seconds", 30);
        extra.put("stdout", "step 1\n");
        extra.put("stderr", "");
        return extra;
    }
}
