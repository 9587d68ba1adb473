package rrunner.gateway.openapi;

import static rrunner.gateway.openapi.ApiSchemas.object;
import static rrunner.gateway.openapi.ApiSchemas.ref;
import static rrunner.gateway.openapi.ApiSchemas.string;
import static rrunner.gateway.openapi.ApiSchemas.typed;

import io.swagger.v3.oas.models.media.Discriminator;
import io.swagger.v3.oas.models.media.JsonSchema;
import io.swagger.v3.oas.models.media.Schema;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import rrunner.common.event.JobEventType;
import rrunner.common.job.JobState;
import rrunner.common.job.JobStatus;
import rrunner.common.job.WireNamed;
import rrunner.common.queue.WebhookStatus;
import rrunner.gateway.problem.ProblemType;
import rrunner.gateway.stream.StreamEvent;

/** The component schemas of the job API and its event streams, matching {@code JobView} and {@code StreamEvent}. */
final class JobSchemas {

    static final String JOB = "Job";
    static final String ATTEMPT_ERROR = "AttemptError";
    static final String WEBHOOK_DELIVERY = "WebhookDelivery";
    static final String JOB_EVENT = "JobEvent";
    static final String RUN_EVENT = "RunEvent";
    static final String PROGRESS_EVENT = "ProgressEvent";
    static final String RESULT_EVENT = "ResultEvent";
    static final String ERROR_EVENT = "ErrorEvent";
    static final String KEEP_ALIVE_EVENT = "KeepAliveEvent";

    private static final List<JobState> TERMINAL = Arrays.stream(JobState.values())
            .filter(JobState::isTerminal).toList();
    /** Every event type but finished, which streams show as the result event. */
    private static final List<JobEventType> PROGRESS_TYPES = Arrays.stream(JobEventType.values())
            .filter(type -> type != JobEventType.FINISHED).toList();

    private JobSchemas() {
    }

    static Map<String, Schema> all() {
        Map<String, Schema> schemas = new LinkedHashMap<>();
        schemas.put(JOB, job());
        schemas.put(ATTEMPT_ERROR, attemptError());
        schemas.put(WEBHOOK_DELIVERY, webhookDelivery());
        schemas.put(JOB_EVENT, events("One event of a job's stream: a line of NDJSON, or the data of a "
                + "Server-Sent Event named by type, with keepalive lines while it is quiet. The stream ends with "
                + "the result event, or with a 404 error event when the job was deleted from the job store while "
                + "followed."));
        schemas.put(RUN_EVENT, events("One event of a streamed POST /run: the job's events, ending with the "
                + "result event, or with an error event when the gateway stopped waiting first or the job was "
                + "deleted from the job store."));
        schemas.put(PROGRESS_EVENT, progressEvent());
        schemas.put(RESULT_EVENT, resultEvent());
        schemas.put(ERROR_EVENT, errorEvent());
        schemas.put(KEEP_ALIVE_EVENT, keepAliveEvent());
        return schemas;
    }

    private static Schema<?> job() {
        return object("A job: what POST /jobs returns, GET /jobs/{id} reads and DELETE /jobs/{id} cancels. Every "
                + "field is always present, null while unknown. Kept for RESULT_TTL after it finished, then 404.")
                .required(List.of("id", "status", "created_at", "started_at", "finished_at", "attempt",
                        "max_attempts", "result", "errors", "environment", "limits", "input_files", "webhook"))
                .additionalProperties(false)
                .addProperty("id", string("The job id: a random UUID.").format("uuid"))
                .addProperty("status", string("queued: waiting for a worker; running; cancelling: running, and a "
                        + "cancel was requested that its worker has not yet carried out; then one of the final "
                        + "states succeeded (exit code 0), failed (non-zero exit code, or given up after "
                        + "MAX_ATTEMPTS attempts without a result), timed_out or cancelled.")
                        ._enum(wireNames(List.of(JobStatus.values()))))
                .addProperty("created_at", string("When the job was accepted.").format("date-time"))
                .addProperty("started_at", nullable("string", "When a worker took the current attempt (the last "
                        + "one, once finished); null while the job waits in the queue.").format("date-time"))
                .addProperty("finished_at", nullable("string", "When the job reached its final state.")
                        .format("date-time"))
                .addProperty("attempt", typed("integer", "How many times a worker has taken the job; 0 while it "
                        + "waits for the first. More than 1 only after a worker died or its runtime failed."))
                .addProperty("max_attempts", typed("integer", "MAX_ATTEMPTS when the job was accepted."))
                .addProperty("result", new JsonSchema().anyOf(List.of(ref(ApiSchemas.RUN_RESULT), nullSchema()))
                        .description("Once finished, exactly what POST /run would have returned (for timed_out, "
                                + "the output until the script was stopped); null before, and for cancelled jobs."))
                .addProperty("errors", typed("array", "One entry per attempt that ended without a result.")
                        .items(ref(ATTEMPT_ERROR)))
                .addProperty("environment", string("The environment the job runs in, as the gateway resolved it "
                        + "(the default when the request named none)."))
                .addProperty("limits", new JsonSchema().$ref("#/components/schemas/" + ApiSchemas.LIMITS)
                        .description("The limits the job runs under, every one resolved (the environment's "
                                + "defaults filled in)."))
                .addProperty("input_files", typed("array", "The input files it was sent, as digests, known before "
                        + "it runs; result.provenance says what the worker applied.")
                        .items(ref(ApiSchemas.INPUT_FILE_DIGEST)))
                .addProperty("webhook", new JsonSchema().anyOf(List.of(ref(WEBHOOK_DELIVERY), nullSchema()))
                        .description("The delivery of the webhook the job was submitted with; null for none."));
    }

    private static Schema<?> webhookDelivery() {
        return object("Where the job's webhook delivery stands. It is sent once the job ends, whatever the end, as "
                + "a POST of {\"type\": \"job.finished\", \"timestamp\", \"data\": {id, status, created_at, "
                + "finished_at, attempt, environment, url}} (no result: read it at data.url with your token), signed "
                + "per the Standard Webhooks spec: webhook-id (job_<id>, the same for every attempt: deduplicate on "
                + "it), webhook-timestamp (seconds) and webhook-signature (v1,<base64 HMAC-SHA256 of "
                + "id.timestamp.body> per tenant secret, space-separated). Retried with growing backoff (or "
                + "Retry-After) on no answer, 408, 429 and 5xx, up to WEBHOOK_MAX_ATTEMPTS within WEBHOOK_MAX_AGE; "
                + "given up on 3xx (redirects are never followed), 410, other 4xx, or an address no longer allowed.")
                .required(List.of("url", "status", "attempts", "last_error", "last_status_code"))
                .additionalProperties(false)
                .addProperty("url", string("The webhook URL, as submitted.").format("uri"))
                .addProperty("status", string("pending until an attempt is delivered (a 2xx answer) or the "
                        + "delivery gives up (failed).")._enum(wireNames(List.of(WebhookStatus.values()))))
                .addProperty("attempts", typed("integer", "How many attempts were started; 0 until the job ends."))
                .addProperty("last_error", nullable("string", "Why the last attempt failed; null when none did."))
                .addProperty("last_status_code", nullable("integer", "The HTTP status the receiver answered the "
                        + "last attempt with; null when it answered none."));
    }

    private static Schema<?> attemptError() {
        return object("Why one attempt ended without a result. A failing script is a result, never an error here.")
                .required(List.of("attempt", "worker", "at", "message"))
                .addProperty("attempt", typed("integer", "The attempt number, from 1."))
                .addProperty("worker", string("The worker that held the attempt."))
                .addProperty("at", string("When the attempt was given up.").format("date-time"))
                .addProperty("message", string("What went wrong, e.g. lease expired (worker ...)."));
    }

    private static Schema<?> progressEvent() {
        return object("Something the job did: queued (data empty, or retry when a failed attempt put it back), "
                + "started (data: the worker), stdout or stderr (data: a chunk of output, in order).")
                .required(List.of("id", "type", "data"))
                .addProperty("id", string("The event id (a Redis stream entry id); the SSE id, and what "
                        + "Last-Event-ID resumes after.").examples(List.of("1714554000123-0")))
                .addProperty("type", string("The kind of event.")._enum(wireNames(PROGRESS_TYPES)))
                .addProperty("data", string("The output chunk, the worker, or empty."));
    }

    private static Schema<?> resultEvent() {
        return object("The job ended: always the last event of a job's stream.")
                .required(List.of("id", "type", "status", "result"))
                .addProperty("id", string("The event id."))
                .addProperty("type", string("Always result.")._const(StreamEvent.Result.TYPE))
                .addProperty("status", string("The job's final state.")._enum(wireNames(TERMINAL)))
                .addProperty("result", new JsonSchema().anyOf(List.of(ref(ApiSchemas.RUN_RESULT), nullSchema()))
                        .description("What POST /run returns as its body; null for a cancelled job."));
    }

    private static Schema<?> errorEvent() {
        return object("The stream ended before the job did; always the last event. A streamed POST /run stopped "
                + "waiting: the problem the plain POST /run would have answered (504 when no result came in time). "
                + "Or, on any job stream, the job was deleted from the job store while followed (Redis lost its "
                + "data): 404 with problem_type urn:rrunner:problem:job-gone.")
                .required(List.of("type", "status", "detail", "job_id"))
                .addProperty("type", string("Always error.")._const(StreamEvent.Failure.TYPE))
                .addProperty("status", typed("integer", "The HTTP status of the problem: what a plain POST /run "
                        + "would have answered, or 404 for a job that is gone."))
                .addProperty("detail", string("What happened."))
                .addProperty("job_id", string("The job; GET /jobs/{id} can still read it unless it is gone.")
                        .format("uuid"))
                .addProperty("problem_type", string("The problem's type URI, as a plain POST /run's problem would "
                        + "carry it (the event's own type is error): result-overdue or job-lost for a streamed "
                        + "POST /run that stopped waiting, job-gone for a job deleted while followed.")
                        ._enum(Stream.of(ProblemType.RESULT_OVERDUE, ProblemType.JOB_LOST, ProblemType.JOB_GONE)
                                .<Object>map(type -> type.uri().toString()).toList()));
    }

    private static Schema<?> keepAliveEvent() {
        return object("NDJSON only (SSE sends a comment instead): nothing happened for STREAM_KEEP_ALIVE_INTERVAL "
                + "(15 s by default). Keeps proxies from dropping a quiet connection and lets the gateway notice a "
                + "client that is gone; it has no id and carries nothing, so clients skip it.")
                .required(List.of("type"))
                .additionalProperties(false)
                .addProperty("type", string("Always keepalive.")._const(StreamEvent.KeepAlive.TYPE));
    }

    /** One of the event schemas, told apart by their type, as generated clients need to decode a stream. */
    private static Schema<?> events(String description) {
        Map<String, String> mapping = new LinkedHashMap<>();
        PROGRESS_TYPES.forEach(type -> mapping.put(type.wireName(), path(PROGRESS_EVENT)));
        mapping.put(StreamEvent.Result.TYPE, path(RESULT_EVENT));
        mapping.put(StreamEvent.KeepAlive.TYPE, path(KEEP_ALIVE_EVENT));
        mapping.put(StreamEvent.Failure.TYPE, path(ERROR_EVENT));
        List<Schema> kinds = List.of(ref(PROGRESS_EVENT), ref(RESULT_EVENT), ref(KEEP_ALIVE_EVENT), ref(ERROR_EVENT));
        return new JsonSchema().description(description)
                .oneOf(kinds)
                .discriminator(new Discriminator().propertyName("type").mapping(mapping));
    }

    private static List<Object> wireNames(List<? extends WireNamed> names) {
        return names.stream().<Object>map(WireNamed::wireName).toList();
    }

    private static String path(String schema) {
        return "#/components/schemas/" + schema;
    }

    private static Schema<Object> nullable(String type, String description) {
        return new JsonSchema().types(new LinkedHashSet<>(List.of(type, "null"))).description(description);
    }

    private static Schema<?> nullSchema() {
        return new JsonSchema().types(Set.of("null"));
    }
}
