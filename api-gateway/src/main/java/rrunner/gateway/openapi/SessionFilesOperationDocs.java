package rrunner.gateway.openapi;

import static rrunner.gateway.openapi.ApiSchemas.object;
import static rrunner.gateway.openapi.ApiSchemas.ref;
import static rrunner.gateway.openapi.ApiSchemas.string;
import static rrunner.gateway.openapi.ApiSchemas.typed;
import static rrunner.gateway.openapi.SessionsOperationDocs.ID;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.util.List;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import rrunner.gateway.problem.ProblemType;

/** Documents {@code /sessions/{id}/files}: raw bytes in and out of a session's workspace, and their problems. */
public final class SessionFilesOperationDocs implements OpenApiCustomizer {

    static final String SESSION_FILE = "SessionFile";
    private static final String FILES = "/sessions/{id}/files";
    /** Spring's catch-all {@code {*path}} as OpenAPI names a path parameter. */
    private static final String FILE = FILES + "/{path}";
    private static final String OCTET_STREAM = "application/octet-stream";
    private static final String EXAMPLE_PATH = "data/in.csv";

    @Override
    public void customise(OpenAPI api) {
        api.getComponents().addSchemas(SESSION_FILE, sessionFile());
        list(api.getPaths().get(FILES).getGet());
        // why moved: springdoc names the catch-all after Spring's pattern, which is no OpenAPI path template
        String springPath = api.getPaths().keySet().stream().filter(path -> path.startsWith(FILES + "/"))
                .findFirst().orElseThrow();
        PathItem file = api.getPaths().remove(springPath);
        api.getPaths().addPathItem(FILE, file);
        put(file.getPut());
        get(file.getGet());
        delete(file.getDelete());
    }

    private static void list(Operation list) {
        ProblemResponses problems = new ProblemResponses("/sessions/" + ID + "/files");
        list.description("Every regular file and directory in the workspace (symlinks are neither listed nor "
                + "followed), with apparent sizes: a sparse file claims more than it occupies.");
        list.parameters(List.of(SessionsOperationDocs.id()));
        list.getResponses().remove("200");
        list.getResponses().addApiResponse("200", new ApiResponse().description("The workspace's files.")
                        .content(new Content().addMediaType(RunOperationDocs.JSON, new MediaType()
                                .schema(typed("array", null).items(ref(SESSION_FILE))))));
        sessionProblems(list.getResponses(), problems);
    }

    private static void put(Operation put) {
        ProblemResponses problems = new ProblemResponses("/sessions/" + ID + "/files/" + EXAMPLE_PATH);
        put.description("Writes the body's raw bytes to the path, parents created, replacing a file there. The "
                + "path follows an input file's rules (letters, digits, '.', '_' and '-' in each segment) and the "
                + "body MAX_INPUT_FILE_BYTES. Works while an exec runs.");
        put.parameters(List.of(SessionsOperationDocs.id(), path()));
        put.requestBody(new RequestBody().required(true).description("The file's bytes.")
                .content(new Content().addMediaType(OCTET_STREAM, new MediaType().schema(binary()))));
        put.getResponses().remove("200");
        put.getResponses().addApiResponse("204", new ApiResponse().description("Written."))
                .addApiResponse("413", problems.problem("The body is over MAX_INPUT_FILE_BYTES.",
                        ProblemType.INPUT_TOO_LARGE, "the file sent is 6000000 bytes, over 5000000 bytes "
                                + "(MAX_INPUT_FILE_BYTES)", Map.of("field", "body", "requested", 6_000_000,
                                        "limit", 5_000_000)))
                .addApiResponse("422", invalidPath(problems))
                .addApiResponse("507", problems.problem("The workspace (RUNNER_WORKSPACE_SIZE) has no room for "
                        + "the file; nothing of it is left.", ProblemType.WORKSPACE_FULL, "the workspace has no "
                                + "room for data/in.csv (4000000 bytes); delete files from the session's "
                                + "workspace, or put a smaller one", Map.of("session_id", ID, "path",
                                        EXAMPLE_PATH)));
        sessionProblems(put.getResponses(), problems);
    }

    private static void get(Operation get) {
        ProblemResponses problems = new ProblemResponses("/sessions/" + ID + "/files/" + EXAMPLE_PATH);
        get.description("The file's raw bytes, as a download (Content-Disposition: attachment; a sandboxing "
                + "Content-Security-Policy), with a content type from its extension. Any name R gave it is "
                + "accepted, percent-encoded; at most MAX_ARTIFACT_BYTES.");
        get.parameters(List.of(SessionsOperationDocs.id(), path()));
        get.getResponses().remove("200");
        get.getResponses().addApiResponse("200", new ApiResponse().description("The file.")
                        .content(new Content().addMediaType(OCTET_STREAM, new MediaType().schema(binary()))))
                .addApiResponse("422", problems.problems("A path that could leave the workspace, or a file over "
                        + "MAX_ARTIFACT_BYTES.", Map.of(
                                "invalid-request", problems.example("A path that could leave the workspace",
                                        ProblemType.INVALID_REQUEST, "path has a \"..\" segment; each segment "
                                                + "must name a file or directory inside the working directory",
                                        Map.of("field", "path")),
                                "file-too-large", problems.example("Too large to send", ProblemType.FILE_TOO_LARGE,
                                        "data/in.csv is larger than 5000000 bytes (MAX_ARTIFACT_BYTES), the most "
                                                + "a file read sends", Map.of("session_id", ID, "path",
                                                EXAMPLE_PATH, "limit", 5_000_000)))));
        fileNotFound(get.getResponses(), problems);
        sessionProblems(get.getResponses(), problems);
    }

    private static void delete(Operation delete) {
        ProblemResponses problems = new ProblemResponses("/sessions/" + ID + "/files/" + EXAMPLE_PATH);
        delete.description("Deletes a file, a symlink, or a directory with everything in it.");
        delete.parameters(List.of(SessionsOperationDocs.id(), path()));
        delete.getResponses().remove("200");
        delete.getResponses().addApiResponse("204", new ApiResponse().description("Deleted."))
                .addApiResponse("422", invalidPath(problems));
        fileNotFound(delete.getResponses(), problems);
        sessionProblems(delete.getResponses(), problems);
    }

    private static void sessionProblems(ApiResponses responses, ProblemResponses problems) {
        responses.addApiResponse("401", problems.unauthorized())
                .addApiResponse("409", problems.retryLater("The session is still starting.",
                        ProblemType.SESSION_BUSY, "session " + ID + " is starting"))
                .addApiResponse("410", SessionsOperationDocs.ended(problems))
                .addApiResponse("503", problems.retryLater("The session's worker did not answer within 40 s, "
                        + "or its sandbox failed; a put or delete may or may not have happened.",
                        ProblemType.SESSION_UNRESPONSIVE, "session " + ID + " did not complete the file request: "
                                + "its worker did not answer within 40 s"));
        if (!responses.containsKey("404")) {
            responses.addApiResponse("404", SessionsOperationDocs.notFound(problems));
        }
    }

    private static void fileNotFound(ApiResponses responses, ProblemResponses problems) {
        responses.addApiResponse("404", problems.problems("No such session for you, or nothing at the path.",
                Map.of("session-not-found", problems.example("No such session", ProblemType.SESSION_NOT_FOUND,
                                "no session " + ID + " (it never existed, is another caller's, or ended long enough "
                                        + "ago to be forgotten)", Map.of("session_id", ID)),
                        "file-not-found", problems.example("No such file", ProblemType.FILE_NOT_FOUND,
                                "no file data/in.csv in session " + ID + "'s workspace",
                                Map.of("session_id", ID, "path", EXAMPLE_PATH)))));
    }

    private static ApiResponse invalidPath(ProblemResponses problems) {
        return problems.problem("A path that could leave the workspace (absolute, a '.' or '..' segment, an empty "
                + "one, a backslash, NUL), leads out of it through a symlink, or names a directory.",
                ProblemType.INVALID_REQUEST, "path has a \"..\" segment; each segment must name a file or directory "
                        + "inside the working directory", Map.of("field", "path"));
    }

    private static Parameter path() {
        return new Parameter().in("path").name("path").required(true).description("Relative to the workspace; "
                + "its slashes separate directories (send other reserved characters percent-encoded).")
                .schema(string(null)).example(EXAMPLE_PATH);
    }

    private static Schema<?> binary() {
        return string(null).contentMediaType(OCTET_STREAM);
    }

    private static Schema<?> sessionFile() {
        return object("A file or directory in a session's workspace.")
                .addProperty("path", string("Relative to the workspace, as data/in.csv."))
                .addProperty("type", string("file or directory."))
                .addProperty("size", typed("integer", "The apparent size in bytes."))
                .addProperty("mtime", string("When its content last changed (RFC 3339).").format("date-time"));
    }
}
