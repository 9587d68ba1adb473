package rrunner.gateway.mcp;

import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponse;
import reactor.core.publisher.Mono;
import rrunner.common.job.Artifact;
import rrunner.common.job.JobId;
import rrunner.common.job.JobState;
import rrunner.common.job.RunResult;
import rrunner.common.json.JsonCodec;
import rrunner.common.queue.QueueFullException;
import rrunner.common.session.SessionRefusedException;
import rrunner.gateway.problem.ProblemHandler;
import rrunner.gateway.problem.SessionProblems;
import rrunner.gateway.stream.StreamEvent;

/**
 * How a tool answers: a run's output as text a model reads, its plots as images it can look at, its other files
 * as embedded resources with their MIME types; and every way a call can go wrong (a problem the HTTP API would
 * answer, a script that failed, ran out of time or was cancelled) as a tool error result, never a protocol error,
 * so the model sees what happened and can fix its call.
 */
final class ToolResults {

    /** The image types MCP hosts show to a model; any other file comes back as an embedded resource. */
    private static final Set<String> IMAGE_TYPES = Set.of("image/png", "image/jpeg", "image/svg+xml");

    private ToolResults() {
    }

    /** The end of a run as the job stream delivered it; {@code timeoutSeconds} is the limit it ran under. */
    static CallToolResult ofRun(JobId job, StreamEvent last, int timeoutSeconds) {
        if (last instanceof StreamEvent.Failure failure) {
            return error(failure.detail() + problemType(failure.problemType() == null ? null
                    : failure.problemType().toString()) + " (job " + failure.jobId() + ")");
        }
        StreamEvent.Result end = (StreamEvent.Result) last;
        JobState state = JobState.fromWireName(end.status());
        String headline = switch (state) {
            case SUCCEEDED -> "The script succeeded (exit code 0).";
            case FAILED -> end.result() == null || end.result().exitCode() == RunResult.NO_EXIT_CODE
                    ? "The script could not be run." : "The script failed with exit code " + end.result().exitCode()
                    + "; stderr says why.";
            case TIMED_OUT -> "The script timed out: it ran past its limit of " + timeoutSeconds + " s and was "
                    + "stopped. Output up to then is below. Make it faster, or ask for a longer limits.timeout_seconds.";
            case CANCELLED -> "The run was cancelled before it finished.";
            case QUEUED, RUNNING -> throw new IllegalStateException("job " + job + " is not finished");
        };
        CallToolResult.Builder answer = CallToolResult.builder()
                .isError(state != JobState.SUCCEEDED)
                .addTextContent(headline + " job_id: " + job.value());
        if (end.result() != null) {
            addResult(answer, job, end.result());
        }
        return answer.build();
    }

    private static void addResult(CallToolResult.Builder answer, JobId job, RunResult result) {
        if (!result.stdout().isEmpty()) {
            answer.addTextContent("stdout:\n" + result.stdout());
        }
        if (!result.stderr().isEmpty()) {
            answer.addTextContent("stderr:\n" + result.stderr());
        }
        if (!result.runtimeStderr().isEmpty()) {
            answer.addTextContent("runtime_stderr (the sandbox failed before the script ran):\n"
                    + result.runtimeStderr());
        }
        for (Artifact artifact : result.artifacts()) {
            answer.addContent(content(job, artifact));
        }
        if (!result.skippedArtifacts().isEmpty()) {
            answer.addTextContent("files left out (over MAX_ARTIFACT_COUNT or MAX_ARTIFACT_BYTES): "
                    + JsonCodec.write(result.skippedArtifacts()));
        }
    }

    private static McpSchema.Content content(JobId job, Artifact artifact) {
        String base64 = Artifact.BASE64.equals(artifact.encoding()) ? artifact.content()
                : Base64.getEncoder().encodeToString(artifact.content().getBytes(StandardCharsets.UTF_8));
        if (IMAGE_TYPES.contains(artifact.mimeType())) {
            return new McpSchema.ImageContent(null, base64, artifact.mimeType());
        }
        // why a job-scoped URI: it names the file unambiguously across calls; the content travels with it
        String uri = "rrunner://jobs/" + job.value() + "/artifacts/" + artifact.filename();
        McpSchema.ResourceContents contents = Artifact.UTF8.equals(artifact.encoding())
                ? new McpSchema.TextResourceContents(uri, artifact.mimeType(), artifact.content())
                : new McpSchema.BlobResourceContents(uri, artifact.mimeType(), base64);
        return new McpSchema.EmbeddedResource(null, contents);
    }

    /**
     * Recovers a call that failed with a problem the HTTP API would have answered (bad input, limits, a full
     * queue, a session refused) as a tool error result; anything else stays an error.
     */
    static Mono<CallToolResult> recover(Throwable failure) {
        if (failure instanceof ErrorResponse problem) {
            return Mono.just(ofProblem(problem));
        }
        if (failure instanceof QueueFullException full) {
            return Mono.just(ofProblem(ProblemHandler.queueFull(full)));
        }
        if (failure instanceof SessionRefusedException refused) {
            return Mono.just(ofProblem(SessionProblems.of(refused)));
        }
        return Mono.error(failure);
    }

    /** A problem the HTTP API would have answered, as text that names its status and stable type. */
    private static CallToolResult ofProblem(ErrorResponse problem) {
        ProblemDetail body = problem.getBody();
        return error(body.getDetail() + " (HTTP " + body.getStatus() + problemType(
                body.getType() == null ? null : body.getType().toString()) + ")");
    }

    /** A tool's JSON answer: the same body the matching HTTP endpoint returns. */
    static CallToolResult ofJson(Object body) {
        return CallToolResult.builder().addTextContent(JsonCodec.write(body)).build();
    }

    static CallToolResult error(String text) {
        return CallToolResult.builder().isError(true).addTextContent(text).build();
    }

    private static String problemType(String type) {
        return type == null || "about:blank".equals(type) ? "" : ", problem type " + type;
    }
}
