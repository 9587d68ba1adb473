package rrunner.gateway.ops;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import rrunner.common.job.JobSpec;
import rrunner.common.queue.JobQueue;
import rrunner.common.queue.WorkerRegistry;
import rrunner.common.redis.HeartbeatProperties;
import rrunner.gateway.config.OpenApiConfiguration;
import rrunner.gateway.tenants.Tenant;
import rrunner.gateway.tenants.Tenants;

/**
 * {@code GET /queue}, behind the bearer token. Read fresh from Redis on every call, unlike the gauges: it is an
 * operator's occasional question, and the answer should be exact. The per-tenant figures are every tenant's for the
 * {@code default} tenant (the operator's {@code RUNNER_TOKEN}), and only its own for any other: one customer does
 * not learn who else uses the fleet, or how much.
 */
@RestController
@Tag(name = "ops", description = "Queue and worker status")
class QueueController {

    private final JobQueue queue;
    private final WorkerRegistry workers;
    private final HeartbeatProperties heartbeat;
    private final Tenants tenants;

    QueueController(JobQueue queue, WorkerRegistry workers, HeartbeatProperties heartbeat, Tenants tenants) {
        this.queue = queue;
        this.workers = workers;
        this.heartbeat = heartbeat;
        this.tenants = tenants;
    }

    @GetMapping(path = "/queue", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "queueStatus", summary = "Queue depth, running jobs and live workers",
            security = @SecurityRequirement(name = OpenApiConfiguration.BEARER_AUTH))
    Mono<QueueStatus> queue(ServerWebExchange exchange) {
        String caller = Tenant.of(exchange).id();
        boolean operator = caller.equals(JobSpec.DEFAULT_TENANT);
        return Mono.zip(queue.stats(operator ? tenants.ids() : List.of(caller)),
                        workers.liveWorkers(heartbeat.workerMaxAge()))
                .map(both -> QueueStatus.of(both.getT1(), both.getT2(),
                        load -> operator || load.tenant().equals(caller)));
    }
}
