package rrunner.gateway.openapi;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import rrunner.common.job.JobStatus;
import rrunner.gateway.problem.ProblemType;

/** Documents the job API: {@code /jobs}, {@code /jobs/{id}} and {@code /jobs/{id}/events}, with every answer. */
public final class JobsOperationDocs implements OpenApiCustomizer {

    private static final String JOB_ID = "0b7e3c1a-5d2f-4f8e-9a61-3c2d1e0f9b8a";
    private static final String NOT_FOUND = "no job " + JOB_ID
            + ": it never existed, or it finished more than RESULT_TTL ago and was deleted";

    @Override
    public void customise(OpenAPI api) {
        JobSchemas.all().forEach(api.getComponents()::addSchemas);
        // why: springdoc infers it from the controllers' return type; the responses below use Job instead
        api.getComponents().getSchemas().remove("JobView");
        api.getComponents().getSchemas().remove("WebhookView");
        submit(api.getPaths().get("/jobs").getPost());
        PathItem job = api.getPaths().get("/jobs/{id}");
        get(job.getGet());
        cancel(job.getDelete());
        events(api.getPaths().get("/jobs/{id}/events").getGet());
    }

    private static void submit(Operation submit) {
        ProblemResponses problems = new ProblemResponses("/jobs");
        submit.description("Queues the script like POST /run (same body, limits and errors) and answers at once "
                + "with the job. Follow it with GET /jobs/{id} (optionally long-polling with wait) or "
                + "GET /jobs/{id}/events; cancel it with DELETE /jobs/{id}.");
        submit.requestBody(RunOperationDocs.requestBody());
        ApiResponse queued = job("The job is queued (replayed: as it was when the first request with the key "
                + "queued it).", jobExample(JobStatus.QUEUED))
                .addHeaderObject("Location", ProblemResponses.header("The job's URL: /jobs/{id}."));
        IdempotencyDocs.document(submit, queued);
        submit.responses(new ApiResponses()
                .addApiResponse("202", queued)
                .addApiResponse("400", RunOperationDocs.invalidJson(problems))
                .addApiResponse("401", problems.unauthorized())
                .addApiResponse("413", RunOperationDocs.tooLarge(problems))
                .addApiResponse("422", RunOperationDocs.unprocessable(problems))
                .addApiResponse("403", RunOperationDocs.forbidden(problems))
                .addApiResponse("429", RunOperationDocs.queueFull(problems))
                .addApiResponse("503", RunOperationDocs.unavailable(problems, false)));
    }

    private static void get(Operation get) {
        ProblemResponses problems = new ProblemResponses("/jobs/" + JOB_ID);
        get.description("The job's status and, once it finished, its result. With wait, answers as soon as the "
                + "job finishes or after that many seconds (at most JOBS_MAX_WAIT_SECONDS), whichever comes first, "
                + "with the job as it is then. Finished jobs are kept for RESULT_TTL, then answer 404.");
        get.parameters(List.of(idParameter(), new Parameter().in("query").name("wait").required(false)
                .description("Seconds to wait for the job to finish (long poll); cut to JOBS_MAX_WAIT_SECONDS "
                        + "(60 by default). 0 answers at once.")
                .schema(ApiSchemas.typed("integer", null).minimum(BigDecimal.ZERO)._default(0))
                .example(30)));
        get.responses(new ApiResponses()
                .addApiResponse("200", job("The job.", jobExample(JobStatus.SUCCEEDED)))
                .addApiResponse("400", problems.problem("wait is not a whole number of seconds, 0 or more.",
                        ProblemType.INVALID_WAIT,
                        "wait must be a whole number of seconds, 0 or more"))
                .addApiResponse("401", problems.unauthorized())
                .addApiResponse("404", notFound(problems)));
    }

    private static void cancel(Operation cancel) {
        ProblemResponses problems = new ProblemResponses("/jobs/" + JOB_ID);
        cancel.description("A queued job is cancelled at once (200, status cancelled) and never runs. A running "
                + "job's worker is told to kill its container (202, status cancelling); GET /jobs/{id} shows "
                + "cancelled once it has. Cancelling a cancelled job answers 200 again; a job that finished "
                + "otherwise keeps its result (409).");
        cancel.parameters(List.of(idParameter()));
        cancel.responses(new ApiResponses()
                .addApiResponse("200", job("The job is cancelled.", jobExample(JobStatus.CANCELLED)))
                .addApiResponse("202", job("The job is running; its worker was told to stop it.",
                        jobExample(JobStatus.CANCELLING)))
                .addApiResponse("401", problems.unauthorized())
                .addApiResponse("404", notFound(problems))
                .addApiResponse("409", problems.problem("The job already finished otherwise; nothing was changed.",
                        ProblemType.JOB_ALREADY_FINISHED, "the job already finished (succeeded); there is nothing to cancel",
                        Map.of("job_id", JOB_ID, "job_status", JobStatus.SUCCEEDED.wireName()))));
    }

    private static void events(Operation events) {
        ProblemResponses problems = new ProblemResponses("/jobs/" + JOB_ID + "/events");
        events.description("The job's events from the start, then live as they happen: queued, started, stdout "
                + "and stderr chunks, and last the result, after which the stream ends (a job deleted from the job "
                + "store while followed ends it with a 404 error event instead). Keep-alives come every "
                + "STREAM_KEEP_ALIVE_INTERVAL while it is quiet. NDJSON (one JSON object "
                + "per line) unless Accept asks for text/event-stream. A client that comes late gets everything "
                + "from the start; Last-Event-ID resumes strictly after that event.");
        events.parameters(List.of(idParameter(), new Parameter().in("header").name("Last-Event-ID").required(false)
                .description("Resume after this event id; browsers' EventSource sends it when it reconnects. "
                        + "Two whole numbers of at most 64 bits (unsigned) joined by a dash; anything else is "
                        + "a 400.")
                .schema(ApiSchemas.string(null).pattern("^[0-9]{1,20}-[0-9]{1,20}$"))
                .example("1714554000561-0")));
        events.responses(new ApiResponses()
                .addApiResponse("200", new ApiResponse().description("The events, streamed.")
                        .content(new Content()
                                .addMediaType(EventStreamDocs.NDJSON, EventStreamDocs.ndjson(JobSchemas.JOB_EVENT))
                                .addMediaType(EventStreamDocs.SSE, EventStreamDocs.sse())))
                .addApiResponse("204", new ApiResponse().description("The job finished and Last-Event-ID was its "
                        + "last event: nothing follows (this also stops an EventSource from reconnecting)."))
                .addApiResponse("400", problems.problem("Last-Event-ID is not an event id (its parts must fit "
                        + "in 64 bits).", ProblemType.INVALID_LAST_EVENT_ID, "Last-Event-ID must be the id of "
                        + "an event from this stream, like 1700000000000-0: two whole numbers of at most 64 bits "
                        + "joined by a dash"))
                .addApiResponse("401", problems.unauthorized())
                .addApiResponse("404", notFound(problems)));
    }

    private static Parameter idParameter() {
        return new Parameter().in("path").name("id").required(true)
                .description("The job id POST /jobs returned.")
                .schema(ApiSchemas.string(null).format("uuid"))
                .example(JOB_ID);
    }

    private static ApiResponse notFound(ProblemResponses problems) {
        return problems.problem("No such job: the id is unknown or malformed, or the job finished more than "
                + "RESULT_TTL ago and was deleted.", ProblemType.JOB_NOT_FOUND, NOT_FOUND, Map.of("job_id", JOB_ID));
    }

    private static ApiResponse job(String description, Map<String, Object> example) {
        return new ApiResponse().description(description)
                .content(new Content().addMediaType(RunOperationDocs.JSON, new MediaType()
                        .schema(ApiSchemas.ref(JobSchemas.JOB))
                        .example(example)));
    }

    private static Map<String, Object> jobExample(JobStatus status) {
        boolean started = status != JobStatus.QUEUED;
        boolean finished = status == JobStatus.SUCCEEDED || status == JobStatus.CANCELLED;
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("id", JOB_ID);
        job.put("status", status.wireName());
        job.put("created_at", "2024-05-01T09:00:00.123Z");
        job.put("started_at", started ? "2024-05-01T09:00:00.140Z" : null);
        job.put("finished_at", finished ? "2024-05-01T09:00:00.702Z" : null);
        job.put("attempt", started ? 1 : 0);
        job.put("max_attempts", 3);
        job.put("result", status == JobStatus.SUCCEEDED ? RunOperationDocs.resultExample() : null);
        job.put("errors", List.of());
        job.put("environment", "r-base");
        job.put("limits", RunOperationDocs.limitsExample());
        job.put("input_files", List.of(RunOperationDocs.inputFileDigestExample()));
        job.put("webhook", null);
        return job;
    }
}
