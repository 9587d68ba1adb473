package rrunner.gateway.jobs;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import rrunner.common.environment.Environments;
import rrunner.common.job.JobId;
import rrunner.common.job.JobRecord;
import rrunner.common.job.JobState;
import rrunner.common.queue.JobQueue;
import rrunner.common.queue.WebhookSchedule;
import rrunner.gateway.config.OpenApiConfiguration;
import rrunner.gateway.run.IdempotencyKeyHeader;
import rrunner.gateway.run.JobAdmission;
import rrunner.gateway.run.RunRequestReader;
import rrunner.gateway.run.ServerTiming;
import rrunner.gateway.tenants.Tenant;

/**
 * The async job API: submit, read (or long-poll) and cancel. Responses and errors are documented in
 * {@code rrunner.gateway.openapi}.
 */
@RestController
@Tag(name = "jobs", description = "Run R scripts asynchronously: submit, poll, stream and cancel jobs")
class JobsController {

    private final RunRequestReader reader;
    private final JobAdmission admission;
    private final JobQueue queue;
    private final JobLookup lookup;
    private final JobsProperties properties;
    private final Environments environments;
    private final WebhookSchedule webhooks;

    JobsController(RunRequestReader reader, JobAdmission admission, JobQueue queue, JobLookup lookup,
            JobsProperties properties, Environments environments, WebhookSchedule webhooks) {
        this.environments = environments;
        this.webhooks = webhooks;
        this.reader = reader;
        this.admission = admission;
        this.queue = queue;
        this.lookup = lookup;
        this.properties = properties;
    }

    /** The same body, limits and admission as {@code POST /run}; answers as soon as the job is queued. */
    @PostMapping("/jobs")
    @Operation(operationId = "submitJob", summary = "Queue an R script as a job and return its id at once",
            security = @SecurityRequirement(name = OpenApiConfiguration.BEARER_AUTH))
    Mono<ResponseEntity<JobView>> submit(ServerWebExchange exchange) {
        Tenant tenant = Tenant.of(exchange);
        return Mono.fromSupplier(() -> IdempotencyKeyHeader.read(exchange.getRequest()))
                .flatMap(key -> reader.readJob(exchange.getRequest(), tenant)
                        .flatMap(request -> admission.enqueue(request, tenant, key.orElse(null))))
                .flatMap(admitted -> view(admitted.job()).map(view -> IdempotencyKeyHeader.marked(
                        ResponseEntity.accepted().location(URI.create("/jobs/" + admitted.job().id())).body(view),
                        admitted.replayed())));
    }

    @GetMapping("/jobs/{id}")
    @Operation(operationId = "getJob", summary = "A job's status and, once it finished, its result",
            security = @SecurityRequirement(name = OpenApiConfiguration.BEARER_AUTH))
    Mono<ResponseEntity<JobView>> get(@PathVariable String id,
            @RequestParam(name = "wait", required = false) String waitSeconds, ServerWebExchange exchange) {
        Tenant tenant = Tenant.of(exchange);
        return Mono.fromSupplier(() -> properties.longPoll(waitSeconds))
                .flatMap(wait -> JobLookup.parse(id)
                        .flatMap(jobId -> lookup.find(jobId, tenant))
                        .flatMap(job -> lookup.awaitEnd(job, wait, tenant)))
                .flatMap(job -> view(job).map(view -> withPhases(job, view)));
    }

    /** A job a worker ended carries its phases as {@code POST /run} does, so a job's caller sees them too. */
    private static ResponseEntity<JobView> withPhases(JobRecord job, JobView view) {
        ResponseEntity.BodyBuilder answer = ResponseEntity.ok();
        if (job.timings() != null) {
            answer.header(ServerTiming.HEADER, ServerTiming.phasesOf(job).header());
        }
        return answer.body(view);
    }

    /** {@code job} as shown, with its webhook's delivery read from beside it. */
    private Mono<JobView> view(JobRecord job) {
        return webhooks.find(job.id())
                .map(delivery -> JobView.of(job, environments, delivery))
                .defaultIfEmpty(JobView.of(job, environments));
    }

    /**
     * Cancels through the queue's one Lua step, which reports what it found: a queued job is cancelled at once
     * (200), a running one is flagged and its worker told to kill it (202), a finished one is left alone (409).
     * Another tenant's job answers 404 before anything is asked of it (a job's tenant never changes).
     */
    @DeleteMapping("/jobs/{id}")
    @Operation(operationId = "cancelJob", summary = "Cancel a queued or running job",
            security = @SecurityRequirement(name = OpenApiConfiguration.BEARER_AUTH))
    Mono<ResponseEntity<JobView>> cancel(@PathVariable String id, ServerWebExchange exchange) {
        Tenant tenant = Tenant.of(exchange);
        return JobLookup.parse(id).flatMap(jobId -> lookup.find(jobId, tenant)
                .then(queue.cancel(jobId))
                .switchIfEmpty(Mono.error(() -> JobNotFoundException.unknown(jobId)))
                .flatMap(state -> answerCancel(jobId, state, tenant)));
    }

    private Mono<ResponseEntity<JobView>> answerCancel(JobId id, JobState state, Tenant tenant) {
        return switch (state) {
            case CANCELLED -> lookup.findToShow(id, tenant).flatMap(this::view).map(ResponseEntity::ok);
            // why findToShow: the job may have finished between the cancel and this read
            case QUEUED, RUNNING -> lookup.findToShow(id, tenant).flatMap(this::view)
                    .map(view -> ResponseEntity.accepted().body(view));
            case SUCCEEDED, FAILED, TIMED_OUT -> Mono.error(new JobAlreadyFinishedException(id, state));
        };
    }
}
