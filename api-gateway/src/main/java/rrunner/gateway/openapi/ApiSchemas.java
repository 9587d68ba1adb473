package rrunner.gateway.openapi;

import io.swagger.v3.oas.models.media.JsonSchema;
import io.swagger.v3.oas.models.media.Schema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import rrunner.common.job.SkippedArtifact;
import rrunner.gateway.problem.ProblemType;

/** The component schemas of the run contract, matching {@code RunResult}, {@code Artifact} and RFC 9457. */
final class ApiSchemas {

    static final String RUN_REQUEST = "RunRequest";
    static final String RUN_RESULT = "RunResult";
    static final String ARTIFACT = "Artifact";
    static final String SKIPPED_ARTIFACT = "SkippedArtifact";
    static final String PROBLEM = "ProblemDetail";

    private ApiSchemas() {
    }

    static Map<String, Schema> all() {
        return Map.of(RUN_REQUEST, runRequest(), RUN_RESULT, runResult(), ARTIFACT, artifact(),
                SKIPPED_ARTIFACT, skippedArtifact(), PROBLEM, problem());
    }

    static Schema<?> ref(String name) {
        return new JsonSchema().$ref("#/components/schemas/" + name);
    }

    private static Schema<?> runRequest() {
        return object("The script to run. Other fields are ignored.")
                .required(List.of("script"))
                .addProperty("script", string("R source code, at most MAX_SCRIPT_BYTES (default 500000) bytes "
                        + "of UTF-8. Runs in a fresh R session whose working directory starts empty; files it "
                        + "writes there come back as artifacts.")
                        .examples(List.<Object>of("x <- rnorm(100)\nprint(summary(x))")));
    }

    private static Schema<?> runResult() {
        return object("What the script printed and the files it wrote.")
                .required(List.of("success", "exit_code", "stdout", "stderr", "runtime_stderr", "artifacts"))
                .additionalProperties(false)
                .addProperty("success", typed("boolean",
                        "exit_code == 0. A failing script is still a 200 with success false."))
                .addProperty("exit_code", typed("integer",
                        "Exit status of the R process; -1 when the runtime failed before the script could finish."))
                .addProperty("stdout", string("What the script printed to standard output."))
                .addProperty("stderr", string("What the script printed to standard error: messages, warnings, errors."))
                .addProperty("runtime_stderr", string("Empty whenever the script started; the runtime's "
                        + "diagnostics when the container failed before the script ran."))
                .addProperty("artifacts", typed("array", "Files the script wrote in its working directory, newest "
                        + "first, at most MAX_ARTIFACT_COUNT, each at most MAX_ARTIFACT_BYTES, together within "
                        + "MAX_RESULT_BYTES.")
                        .items(ref(ARTIFACT)))
                .addProperty("skipped_artifacts", typed("array", "Present only when files were left out of "
                        + "artifacts: each with the reason, at most 100.")
                        .items(ref(SKIPPED_ARTIFACT)))
                .addProperty("skipped_artifact_count", typed("integer", "Present only when files were left out: "
                        + "how many, listed or not."));
    }

    private static Schema<?> skippedArtifact() {
        return object("A file of the working directory that is not among the artifacts.")
                .required(List.of("filename", "reason"))
                .additionalProperties(false)
                .addProperty("filename", string("Path relative to the script's working directory."))
                .addProperty("reason", string("too_large: over MAX_ARTIFACT_BYTES; too_many: older than the newest "
                        + "MAX_ARTIFACT_COUNT; result_full: past MAX_RESULT_BYTES; not_a_file: a link, FIFO or "
                        + "device; unread: collection stopped at this file (its apparent size passed what was left "
                        + "of the read budget, or the collection deadline ran out), later files were not looked at.")
                        ._enum(Arrays.stream(SkippedArtifact.Reason.values())
                                .map(r -> (Object) r.wireName()).toList()))
                .addProperty("size_bytes", typed("integer", "The file's apparent size, when known."));
    }

    private static Schema<?> artifact() {
        return object("A file the script wrote.")
                .required(List.of("filename", "mime_type", "encoding", "content"))
                .additionalProperties(false)
                .addProperty("filename", string("Path relative to the script's working directory."))
                .addProperty("mime_type", string("Media type guessed from the file name, e.g. text/csv, image/png."))
                .addProperty("encoding", string("utf-8: content is the file's text; base64: the file's bytes.")
                        ._enum(List.<Object>of("utf-8", "base64")))
                .addProperty("content", string("The file's content, encoded as encoding says."));
    }

    private static Schema<?> problem() {
        return object("An RFC 9457 problem detail. Some errors add properties: job_id; job_status for a cancel "
                + "of a finished job (409); for 408 the stdout and stderr the script printed before it was stopped.")
                .required(List.of("title", "status", "detail"))
                .addProperty("type", string("A URI naming the problem type, to branch on instead of detail: "
                        + "about:blank when the status says it all, else one of the urn:rrunner:problem: types.")
                        .examples(typeUris()))
                .addProperty("title", string("The problem type's title, or for about:blank the HTTP status "
                        + "phrase."))
                .addProperty("status", typed("integer", "The HTTP status code."))
                .addProperty("detail", string("What went wrong and what to change."))
                .addProperty("instance", string("The request path."))
                .addProperty("job_id", string("The job the request created or named, when it got that far."))
                .addProperty("job_status", string("409 from DELETE /jobs/{id} only: the state the job finished in."))
                .addProperty("stdout", string("408 only: standard output until the script was stopped."))
                .addProperty("stderr", string("408 only: standard error until the script was stopped."));
    }

    private static List<Object> typeUris() {
        List<Object> uris = new ArrayList<>();
        uris.add("about:blank");
        Arrays.stream(ProblemType.values()).map(type -> type.uri().toString()).forEach(uris::add);
        return uris;
    }

    static Schema<?> object(String description) {
        return typed("object", description);
    }

    static Schema<Object> string(String description) {
        return typed("string", description);
    }

    @SuppressWarnings("unchecked")
    static Schema<Object> typed(String type, String description) {
        return new JsonSchema().types(Set.of(type)).description(description);
    }
}
