package rrunner.gateway.openapi;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.JsonSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.http.HttpStatus;

/**
 * Documents {@code POST /run}'s body, result and every error it answers. Runs after springdoc has read the
 * controllers, so these hand-written schemas replace any it inferred from the Java types.
 */
final class RunOperationDocs implements OpenApiCustomizer {

    private static final String JSON = "application/json";
    private static final String PROBLEM_JSON = "application/problem+json";

    @Override
    public void customise(OpenAPI api) {
        ApiSchemas.all().forEach(api.getComponents()::addSchemas);
        Operation run = api.getPaths().get("/run").getPost();
        run.requestBody(new RequestBody().required(true)
                .description("The script. Accepted whatever the Content-Type says (curl -d sends a form type).")
                .content(new Content().addMediaType(JSON, new MediaType()
                        .schema(ApiSchemas.ref(ApiSchemas.RUN_REQUEST))
                        .example(Map.of("script", "x <- c(2, 4, 9)\ncat(mean(x))\nwrite.csv(data.frame(x = x), "
                                + "\"x.csv\", row.names = FALSE)")))));
        run.responses(new ApiResponses()
                .addApiResponse("200", new ApiResponse()
                        .description("The script ran; success says whether it exited with status 0.")
                        .content(new Content().addMediaType(JSON, new MediaType()
                                .schema(ApiSchemas.ref(ApiSchemas.RUN_RESULT))
                                .example(resultExample()))))
                .addApiResponse("400", problem("The body is not JSON.", 400,
                        "request body is not valid JSON: Unexpected end-of-input (line 1, column 12)"))
                .addApiResponse("401", problem("Missing or wrong bearer token.", 401, "invalid bearer token")
                        .addHeaderObject("WWW-Authenticate", header("Bearer realm=\"r-runner\"")))
                .addApiResponse("408", problem("The script ran past RUN_TIMEOUT_SECONDS and was stopped; the "
                        + "output it printed until then is in stdout and stderr.", 408,
                        "script ran past RUN_TIMEOUT_SECONDS (30 s) and was stopped",
                        timedOutExample()))
                .addApiResponse("409", problem("The job was cancelled before it finished.", 409,
                        "the job was cancelled before it finished"))
                .addApiResponse("413", problem("The script is over MAX_SCRIPT_BYTES (the body is refused while it "
                        + "streams in, before it is buffered).", 413,
                        "script is 612000 bytes, over MAX_SCRIPT_BYTES (500000)"))
                .addApiResponse("422", problem("The body is JSON but not an object with a string field script.",
                        422, "missing required field \"script\"; send {\"script\": \"<R source>\"}"))
                .addApiResponse("429", retryLater("Too many jobs are waiting; retry after Retry-After seconds.",
                        429, "the queue is full (1000 jobs waiting); retry later"))
                .addApiResponse("503", retryLater("No worker took the job in time, or the job store is "
                        + "unavailable; retry after Retry-After seconds.", 503,
                        "no worker picked the job up within 60 s (RUN_QUEUE_TIMEOUT_SECONDS); the job was "
                                + "withdrawn, retry later"))
                .addApiResponse("504", problem("A worker took the job but no result came in time.", 504,
                        "no result within 60 s after a worker took the job "
                                + "(RUN_TIMEOUT_SECONDS + RUN_RESULT_GRACE_SECONDS)")));
    }

    private static Map<String, Object> resultExample() {
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

    private static ApiResponse retryLater(String description, int status, String detail) {
        return problem(description, status, detail)
                .addHeaderObject("Retry-After", header("Seconds to wait before retrying."));
    }

    private static ApiResponse problem(String description, int status, String detail) {
        return problem(description, status, detail, Map.of());
    }

    private static ApiResponse problem(String description, int status, String detail, Map<String, Object> extra) {
        Map<String, Object> example = new LinkedHashMap<>();
        example.put("title", HttpStatus.valueOf(status).getReasonPhrase());
        example.put("status", status);
        example.put("detail", detail);
        example.put("instance", "/run");
        example.putAll(extra);
        return new ApiResponse().description(description)
                .content(new Content().addMediaType(PROBLEM_JSON, new MediaType()
                        .schema(ApiSchemas.ref(ApiSchemas.PROBLEM))
                        .example(example)));
    }

    private static Header header(String description) {
        return new Header().description(description).schema(new JsonSchema().types(Set.of("string")));
    }
}
