package rrunner.gateway.openapi;

import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.JsonSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.responses.ApiResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import rrunner.gateway.problem.ProblemType;

/** Documented error responses: an RFC 9457 problem body with examples, as the operations answer them. */
final class ProblemResponses {

    static final String PROBLEM_JSON = "application/problem+json";

    private final String instance;

    /** Problems of the operation at {@code instance}, the path their examples name. */
    ProblemResponses(String instance) {
        this.instance = instance;
    }

    /** A problem of {@code type}; its example carries the type, title and status clients see. */
    ApiResponse problem(String description, ProblemType type, String detail) {
        return problem(description, type, detail, Map.of());
    }

    ApiResponse problem(String description, ProblemType type, String detail, Map<String, Object> extra) {
        return new ApiResponse().description(description)
                .content(new Content().addMediaType(PROBLEM_JSON, new MediaType()
                        .schema(ApiSchemas.ref(ApiSchemas.PROBLEM))
                        .example(body(type, type.status().value(), detail, extra))));
    }

    /** A status that answers more than one kind of problem: one named example each. */
    ApiResponse problems(String description, Map<String, Example> examples) {
        return new ApiResponse().description(description)
                .content(new Content().addMediaType(PROBLEM_JSON, new MediaType()
                        .schema(ApiSchemas.ref(ApiSchemas.PROBLEM))
                        .examples(examples)));
    }

    /** One kind of problem among several of a status. */
    Example example(String summary, ProblemType type, String detail) {
        return example(summary, type, detail, Map.of());
    }

    Example example(String summary, ProblemType type, String detail, Map<String, Object> extra) {
        return example(summary, type, type.status().value(), detail, extra);
    }

    /** For a type without a status of its own ({@link ProblemType#HTTP_ERROR}). */
    Example example(String summary, ProblemType type, int status, String detail, Map<String, Object> extra) {
        return new Example().summary(summary).value(body(type, status, detail, extra));
    }

    private Map<String, Object> body(ProblemType type, int status, String detail, Map<String, Object> extra) {
        Map<String, Object> example = new LinkedHashMap<>();
        example.put("type", type.uri().toString());
        example.put("title", type.title());
        example.put("status", status);
        example.put("detail", detail);
        example.put("instance", instance);
        example.putAll(extra);
        return example;
    }

    ApiResponse retryLater(String description, ProblemType type, String detail) {
        return withRetryAfter(problem(description, type, detail));
    }

    ApiResponse retryLater(String description, Map<String, Example> examples) {
        return withRetryAfter(problems(description, examples));
    }

    private static ApiResponse withRetryAfter(ApiResponse response) {
        return response.addHeaderObject("Retry-After", header("Seconds to wait before retrying."));
    }

    ApiResponse unauthorized() {
        return problem("Missing or wrong bearer token.", ProblemType.UNAUTHORIZED, "invalid bearer token")
                .addHeaderObject("WWW-Authenticate", header("Bearer realm=\"r-runner\""));
    }

    static Header header(String description) {
        return new Header().description(description).schema(new JsonSchema().types(Set.of("string")));
    }
}
