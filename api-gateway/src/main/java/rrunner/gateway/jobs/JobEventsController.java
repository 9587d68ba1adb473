package rrunner.gateway.jobs;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import rrunner.common.job.JobRecord;
import rrunner.common.queue.JobQueue;
import rrunner.gateway.config.OpenApiConfiguration;
import rrunner.gateway.stream.JobEventFollower;
import rrunner.gateway.stream.StreamFormat;
import rrunner.gateway.tenants.Tenant;

/** {@code GET /jobs/{id}/events}: a job's events from the start (or after {@code Last-Event-ID}), live. */
@RestController
@Tag(name = "jobs")
class JobEventsController {

    private final JobQueue queue;
    private final JobLookup lookup;
    private final JobEventFollower follower;

    JobEventsController(JobQueue queue, JobLookup lookup, JobEventFollower follower) {
        this.queue = queue;
        this.lookup = lookup;
        this.follower = follower;
    }

    @GetMapping("/jobs/{id}/events")
    @Operation(operationId = "streamJobEvents", summary = "A job's events, live, as NDJSON or Server-Sent Events",
            security = @SecurityRequirement(name = OpenApiConfiguration.BEARER_AUTH))
    Mono<ResponseEntity<?>> events(@PathVariable String id,
            @RequestHeader(name = LastEventId.HEADER, required = false) String lastEventIdHeader,
            ServerWebExchange exchange) {
        String lastEventId = LastEventId.checked(lastEventIdHeader);
        StreamFormat format = StreamFormat.requested(exchange.getRequest().getHeaders()).orElse(StreamFormat.NDJSON);
        Tenant tenant = Tenant.of(exchange);
        return JobLookup.parse(id)
                .flatMap(jobId -> lookup.find(jobId, tenant))
                .flatMap(job -> hasMoreEvents(job, lastEventId).map(more -> more
                        ? format.respond(follower.follow(job.id(), lastEventId))
                        : ResponseEntity.noContent().build()));
    }

    /**
     * False only for a client that already saw a finished job's last event: it gets 204, which is also what tells
     * a browser's EventSource to stop reconnecting. Any other stream has its last event still to come.
     */
    private Mono<Boolean> hasMoreEvents(JobRecord job, String lastEventId) {
        if (lastEventId == null || !job.state().isTerminal()) {
            return Mono.just(true);
        }
        return queue.events(job.id(), lastEventId).hasElements();
    }
}
