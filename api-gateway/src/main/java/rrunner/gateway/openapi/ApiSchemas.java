package rrunner.gateway.openapi;

import io.swagger.v3.oas.models.media.JsonSchema;
import io.swagger.v3.oas.models.media.Schema;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
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
    static final String INPUT_FILE = "InputFile";
    static final String LIMITS = "Limits";
    static final String REQUESTED_LIMITS = "RequestedLimits";
    static final String PROVENANCE = "Provenance";
    static final String INPUT_FILE_DIGEST = "InputFileDigest";

    private ApiSchemas() {
    }

    static Map<String, Schema> all() {
        Map<String, Schema> schemas = new LinkedHashMap<>();
        schemas.put(RUN_REQUEST, runRequest());
        schemas.put(INPUT_FILE, inputFile());
        schemas.put(REQUESTED_LIMITS, requestedLimits());
        schemas.put(RUN_RESULT, runResult());
        schemas.put(ARTIFACT, artifact());
        schemas.put(SKIPPED_ARTIFACT, skippedArtifact());
        schemas.put(PROVENANCE, provenance());
        schemas.put(LIMITS, limits());
        schemas.put(INPUT_FILE_DIGEST, inputFileDigest());
        schemas.put(PROBLEM, problem());
        return schemas;
    }

    static Schema<?> ref(String name) {
        return new JsonSchema().$ref("#/components/schemas/" + name);
    }

    private static Schema<?> runRequest() {
        return object("The script to run, and optionally where, under which limits and with which input files. "
                + "Other fields are ignored; null for environment, limits or files is the same as leaving it out.")
                .required(List.of("script"))
                .addProperty("script", string("R source code, at most MAX_SCRIPT_BYTES (default 500000) bytes "
                        + "of UTF-8. Runs in a fresh R session whose working directory holds only the input files; "
                        + "files it writes or changes there come back as artifacts.")
                        .examples(List.<Object>of("x <- rnorm(100)\nprint(summary(x))")))
                .addProperty("environment", string("The environment to run in, as GET /environments lists them; "
                        + "left out, the default one (RUNNER_DEFAULT_ENVIRONMENT). Unknown: 422 unknown-environment; "
                        + "no live worker serves it: 503 environment-unavailable.").examples(List.of("r-full")))
                .addProperty("limits", ref(REQUESTED_LIMITS))
                .addProperty("files", typed("array", "Files placed in the working directory before the script's "
                        + "first line runs: at most MAX_INPUT_FILES (default 50), each at most MAX_INPUT_FILE_BYTES "
                        + "(default 5000000) and together at most MAX_INPUT_BYTES (default 20000000) bytes, decoded. "
                        + "Paths are unique, and no file may sit where another needs a directory.")
                        .items(ref(INPUT_FILE)))
                .addProperty("session", string("POST /jobs only: the id of a session to run the script in, in its "
                        + "live R, under the session's environment and limits (leave out environment and limits). "
                        + "Unknown: 404 session-not-found; ended: 410 session-ended; busy: 409 session-busy."))
                .addProperty("webhook", object("A URL to POST to when the job ends, signed per the Standard "
                        + "Webhooks spec with the tenant's secret (see the Job's webhook member for the body and "
                        + "retries). https only (unless WEBHOOK_ALLOW_HTTP), no user or password, at most 2048 "
                        + "characters, and its host must resolve only to public addresses (or ones in "
                        + "WEBHOOK_ALLOWED_CIDRS), checked now and again before each attempt: 422 invalid-webhook or "
                        + "webhook-address-forbidden otherwise, and webhook-secret-missing when the tenant has no "
                        + "secret. Not for an exec in a session.")
                        .required(List.of("url"))
                        .additionalProperties(false)
                        .addProperty("url", string("Where to POST.").format("uri").maxLength(2048)
                                .examples(List.of("https://hooks.example.com/r-runner"))));
    }

    private static Schema<?> inputFile() {
        return object("An input file.")
                .required(List.of("path", "content"))
                .additionalProperties(false)
                .addProperty("path", string("Relative POSIX path under the working directory; parents are "
                        + "created. Segments of letters, digits, '.', '_' and '-', never '.' or '..'; no empty "
                        + "segment, leading '/', backslash or NUL. At most 1024 characters.")
                        .pattern("^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*$").maxLength(1024)
                        .examples(List.of("data/in.csv")))
                .addProperty("content", string("The file's content, encoded as encoding says."))
                .addProperty("encoding", string("utf-8 (the default): content is the file's text; base64: the "
                        + "file's bytes, standard alphabet, padded, no line breaks.")
                        ._enum(List.<Object>of("utf-8", "base64"))._default("utf-8"));
    }

    private static Schema<?> requestedLimits() {
        return object("Limits asked for; each left out takes the environment's default (GET /environments shows "
                + "defaults and maxima). A value over the environment's maximum is refused (422 limit-exceeded), "
                + "never clamped; 0, a negative value, a string or a fraction of a whole-number limit is refused "
                + "(422 invalid-limit), never read as the default.")
                .additionalProperties(false)
                .addProperty("timeout_seconds", typed("integer", "Wall-clock seconds before the script is "
                        + "stopped (408).").minimum(BigDecimal.ONE))
                .addProperty("memory_mb", typed("integer", "Memory limit in MiB (swap is the same, so none); at "
                        + "least 6.").minimum(BigDecimal.valueOf(6)))
                .addProperty("cpus", typed("number", "CPU quota in cores, such as 1.5; at least 0.01.")
                        .minimum(new BigDecimal("0.01")));
    }

    private static Schema<?> limits() {
        return object("Limits as applied: every value resolved, none is a default.")
                .required(List.of("timeout_seconds", "memory_mb", "cpus"))
                .additionalProperties(false)
                .addProperty("timeout_seconds", typed("integer", "Wall-clock seconds before the script is stopped."))
                .addProperty("memory_mb", typed("integer", "Memory limit in MiB."))
                .addProperty("cpus", typed("number", "CPU quota in cores."));
    }

    private static Schema<?> provenance() {
        return object("What produced the result, filled in by the worker that ran the script: a caller can tell "
                + "a server that applied the request's fields from an older one that ignored them, and reproduce "
                + "the run.")
                .required(List.of("environment", "image_id", "r_version", "limits", "input_files"))
                .addProperty("environment", string("The environment the script ran in."))
                .addProperty("image_id", string("The id (content digest) of the image the sandbox was made from, "
                        + "as GET /environments shows it."))
                .addProperty("r_version", string("R's version string in that image."))
                .addProperty("limits", ref(LIMITS))
                .addProperty("input_files", typed("array", "The input files, in request order.")
                        .items(ref(INPUT_FILE_DIGEST)));
    }

    private static Schema<?> inputFileDigest() {
        return object("An input file as sent, without its content.")
                .required(List.of("path", "size", "sha256"))
                .additionalProperties(false)
                .addProperty("path", string("Its path under the working directory."))
                .addProperty("size", typed("integer", "Its size in bytes, decoded."))
                .addProperty("sha256", string("SHA-256 of its bytes, lower-case hex.").pattern("^[0-9a-f]{64}$"));
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
                        + "how many, listed or not."))
                .addProperty("provenance", ref(PROVENANCE));
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
        return object("An RFC 9457 problem detail. Its type names the kind of problem (docs/problems.md lists "
                + "each with its status and members); some types add members, listed here.")
                .required(List.of("type", "title", "status", "detail"))
                .addProperty("type", string("A URI naming the kind of problem, one of the urn:rrunner:problem: "
                        + "types: branch on it, never on detail.").examples(typeUris()))
                .addProperty("title", string("The problem type's title, or for http-error the HTTP status phrase."))
                .addProperty("status", typed("integer", "The HTTP status code."))
                .addProperty("detail", string("What went wrong and what to change."))
                .addProperty("instance", string("The request path."))
                .addProperty("job_id", string("The job the request created or named, when it got that far."))
                .addProperty("job_status", string("job-already-finished: the state the job finished in."))
                .addProperty("stdout", string("timed-out: standard output until the script was stopped."))
                .addProperty("stderr", string("timed-out: standard error until the script was stopped."))
                .addProperty("timeout_seconds", typed("integer", "timed-out: the timeout the script ran past."))
                .addProperty("field", string("invalid-request, invalid-limit, limit-exceeded, script-too-large, "
                        + "input-too-large, invalid-webhook, webhook-address-forbidden: the field at fault, such as "
                        + "limits.memory_mb, files[2].content, files, script or webhook.url.")
                        .examples(List.of("limits.memory_mb")))
                .addProperty("requested", typed("number", "limit-exceeded, script-too-large, input-too-large: "
                        + "what the request asked for or sent (a limit's value, a count, bytes)."))
                .addProperty("limit", typed("number", "limit-exceeded, script-too-large, input-too-large, "
                        + "request-too-large, session-limit, session-capacity, file-too-large, tenant-queue-full, "
                        + "rate-limited: the most allowed."))
                .addProperty("index", typed("integer", "invalid-input-file: the file's position in files, from 0."))
                .addProperty("path", string("invalid-input-file: the file's path as sent, when it is a string; "
                        + "file-not-found, file-too-large, workspace-full: the workspace path."))
                .addProperty("environment", string("unknown-environment, environment-not-found, "
                        + "environment-unavailable, environment-not-allowed: the environment asked for (left out "
                        + "when it is no valid name)."))
                .addProperty("allowed", typed("array", "environment-not-allowed: the environments the caller's "
                        + "tenant may use.").items(string(null)))
                .addProperty("available", typed("array", "unknown-environment, environment-not-found: the "
                        + "environments this deployment offers.").items(string(null)))
                .addProperty("current", typed("integer", "session-limit, session-capacity, tenant-queue-full: how "
                        + "many there are now; rate-limited: the requests counted in the last minute."))
                .addProperty("session_id", string("session-not-found, session-ended, session-busy, "
                        + "session-not-started, session-unresponsive, file-not-found, file-too-large, "
                        + "workspace-full: the session."))
                .addProperty("session_status", string("session-ended, session-busy: the state the session is in."))
                .addProperty("reason", string("session-ended, session-not-started: why the session ended; "
                        + "session-unresponsive: what failed."));
    }

    private static List<Object> typeUris() {
        List<Object> uris = new ArrayList<>();
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
