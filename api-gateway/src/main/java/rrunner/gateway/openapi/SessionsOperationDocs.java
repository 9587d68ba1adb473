package rrunner.gateway.openapi;

import static rrunner.gateway.openapi.ApiSchemas.ref;
import static rrunner.gateway.openapi.ApiSchemas.string;
import static rrunner.gateway.openapi.ApiSchemas.typed;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import java.util.List;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import rrunner.gateway.problem.ProblemType;

/** Documents {@code /sessions}: the body of a create, and the problems each operation answers. */
public final class SessionsOperationDocs implements OpenApiCustomizer {

    static final String SESSION_REQUEST = "SessionRequest";
    private static final String SESSION = "Session";
    static final String ID = "5f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b";

    @Override
    public void customise(OpenAPI api) {
        api.getComponents().addSchemas(SESSION_REQUEST, sessionRequest());
        create(api.getPaths().get("/sessions").getPost());
        ProblemResponses listed = new ProblemResponses("/sessions");
        api.getPaths().get("/sessions").getGet().description("Your sessions, live and ended within RESULT_TTL, "
                + "oldest first.").getResponses().addApiResponse("401", listed.unauthorized());
        String one = "/sessions/{id}";
        get(api.getPaths().get(one).getGet());
        delete(api.getPaths().get(one).getDelete());
        keepalive(api.getPaths().get(one + "/keepalive").getPost());
        exec(api.getPaths().get(one + "/exec").getPost());
    }

    private static void create(Operation create) {
        ProblemResponses problems = new ProblemResponses("/sessions");
        create.description("Starts an R process in a container of its own on one worker (the same sandbox policy "
                + "as a run) and answers once it is ready, or still starting after SESSION_START_TIMEOUT. Objects, "
                + "loaded packages, options and files persist from one exec to the next. It expires after "
                + "ttl_seconds without an exec or keepalive, and at max_expires_at (SESSION_MAX_LIFETIME) in any "
                + "case.");
        create.requestBody(new RequestBody().required(false).description("All optional; an empty body takes every "
                + "default.").content(new Content().addMediaType(RunOperationDocs.JSON, new MediaType()
                        .schema(ref(SESSION_REQUEST))
                        .example(Map.of("environment", "r-full", "limits", Map.of("memory_mb", 1024),
                                "ttl_seconds", 1800, "metadata", Map.of("project", "churn"))))));
        create.getResponses().remove("200");
        create.getResponses()
                .addApiResponse("201", new ApiResponse().description("The session, ready (or starting).")
                        .addHeaderObject("Location", ProblemResponses.header("/sessions/{id}"))
                        .content(new Content().addMediaType(RunOperationDocs.JSON,
                                new MediaType().schema(ref(SESSION)))))
                .addApiResponse("401", problems.unauthorized())
                .addApiResponse("422", problems.problem("A limit or ttl_seconds over what is allowed (never clamped), "
                        + "an invalid one, or an unknown environment.", ProblemType.LIMIT_EXCEEDED,
                        "ttl_seconds is 86400, over the most this server allows (7200; SESSION_MAX_TTL)",
                        Map.of("field", "ttl_seconds", "requested", 86400, "limit", 7200)))
                .addApiResponse("429", problems.retryLater("You hold SESSION_MAX_PER_TOKEN live sessions, or the "
                        + "workers have no room for another.", Map.of(
                                "session-limit", problems.example("Your own cap", ProblemType.SESSION_LIMIT,
                                        "you have 5 live sessions, the most allowed (SESSION_MAX_PER_TOKEN); delete "
                                                + "one or let it expire", Map.of("limit", 5, "current", 5)),
                                "session-capacity", problems.example("The fleet is full",
                                        ProblemType.SESSION_CAPACITY, "the workers hold 8 sessions, all they have "
                                                + "room for; retry later", Map.of("limit", 8, "current", 8)))))
                .addApiResponse("503", problems.retryLater("No worker started the session in time, or its sandbox "
                        + "failed to start; it ends as lost.", ProblemType.SESSION_NOT_STARTED,
                        "session " + ID + " could not be started: no worker started it within 60 s"));
    }

    private static void get(Operation get) {
        ProblemResponses problems = new ProblemResponses("/sessions/" + ID);
        get.parameters(List.of(id()));
        get.getResponses().addApiResponse("401", problems.unauthorized())
                .addApiResponse("404", notFound(problems))
                .addApiResponse("410", ended(problems));
    }

    private static void delete(Operation delete) {
        ProblemResponses problems = new ProblemResponses("/sessions/" + ID);
        delete.parameters(List.of(id()));
        delete.getResponses().remove("200");
        delete.getResponses().addApiResponse("204", new ApiResponse().description("Ended; its container is "
                        + "removed, and an exec running in it is stopped."))
                .addApiResponse("401", problems.unauthorized())
                .addApiResponse("404", notFound(problems))
                .addApiResponse("410", ended(problems));
    }

    private static void keepalive(Operation keepalive) {
        ProblemResponses problems = new ProblemResponses("/sessions/" + ID + "/keepalive");
        keepalive.description("Starts the session's idle time again (never past max_expires_at); answers the "
                + "session with its new expires_at.");
        keepalive.parameters(List.of(id()));
        keepalive.getResponses().addApiResponse("401", problems.unauthorized())
                .addApiResponse("404", notFound(problems))
                .addApiResponse("410", ended(problems));
    }

    private static void exec(Operation exec) {
        ProblemResponses problems = new ProblemResponses("/sessions/" + ID + "/exec");
        exec.description("Runs the script in the session's live R, in its global environment, and answers "
                + "exactly as POST /run does (streaming variants, 408 on timeout): artifacts are the files this "
                + "exec created or changed. A timeout or cancel interrupts the exec, not the session; one exec runs "
                + "at a time.");
        exec.parameters(List.of(id()));
        exec.requestBody(new RequestBody().required(true).description("The script, and optionally input files "
                        + "placed in the workspace first; environment and limits are the session's.")
                .content(new Content().addMediaType(RunOperationDocs.JSON, new MediaType()
                        .schema(ref(ApiSchemas.RUN_REQUEST))
                        .example(Map.of("script", "x <- 41\ncat(x + 1)")))));
        exec.getResponses().remove("200");
        exec.getResponses()
                .addApiResponse("200", new ApiResponse().description("The exec ran; success says whether it ended "
                        + "without an error.").content(new Content().addMediaType(RunOperationDocs.JSON,
                                new MediaType().schema(ref(ApiSchemas.RUN_RESULT)))))
                .addApiResponse("401", problems.unauthorized())
                .addApiResponse("404", notFound(problems))
                .addApiResponse("408", problems.problem("The exec ran past the session's timeout and was "
                        + "interrupted; the session keeps its objects.", ProblemType.TIMED_OUT,
                        "script ran past its timeout (limits.timeout_seconds: 30 s) and was stopped"))
                .addApiResponse("409", problems.retryLater("The session is starting or running another exec.",
                        ProblemType.SESSION_BUSY, "session " + ID + " is busy; it runs one exec at a time"))
                .addApiResponse("410", ended(problems));
    }

    static Parameter id() {
        return new Parameter().in("path").name("id").required(true).description("The session's id.")
                .schema(string(null)).example(ID);
    }

    static ApiResponse notFound(ProblemResponses problems) {
        return problems.problem("No such session for you (unknown, malformed, another caller's, or ended more than "
                + "RESULT_TTL ago).", ProblemType.SESSION_NOT_FOUND, "no session " + ID + " (it never existed, is "
                        + "another caller's, or ended long enough ago to be forgotten)", Map.of("session_id", ID));
    }

    static ApiResponse ended(ProblemResponses problems) {
        return problems.problem("The session ended: expired, deleted or lost; reason says why.",
                ProblemType.SESSION_ENDED, "session " + ID + " is expired: idle for longer than its ttl of 900 s",
                Map.of("session_id", ID, "session_status", "expired", "reason", "idle for longer than its ttl of "
                        + "900 s"));
    }

    private static Schema<?> sessionRequest() {
        return ApiSchemas.object("What to open a session with; null is the same as leaving a field out.")
                .addProperty("environment", string("The environment, as for POST /run; left out, the default."))
                .addProperty("limits", ref(ApiSchemas.REQUESTED_LIMITS))
                .addProperty("ttl_seconds", typed("integer", "Idle seconds before it expires; default SESSION_TTL "
                        + "(900), at most SESSION_MAX_TTL (7200): more is 422 limit-exceeded."))
                .addProperty("metadata", typed("object", "Your own labels, returned as given: at most 16 string "
                        + "values of at most 256 characters.")
                        .additionalProperties(string(null)));
    }
}
