package rrunner.gateway.ops;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import rrunner.common.queue.JobQueue;
import rrunner.common.queue.WorkerRegistry;
import rrunner.common.redis.HeartbeatProperties;
import rrunner.gateway.config.OpenApiConfiguration;

/**
 * {@code GET /queue}, behind the bearer token. Read fresh from Redis on every call, unlike the gauges: it is an
 * operator's occasional question, and the answer should be exact.
 */
@RestController
@Tag(name = "ops", description = "Queue and worker status")
class QueueController {

    private final JobQueue queue;
    private final WorkerRegistry workers;
    private final HeartbeatProperties heartbeat;

    QueueController(JobQueue queue, WorkerRegistry workers, HeartbeatProperties heartbeat) {
        this.queue = queue;
        this.workers = workers;
        this.heartbeat = heartbeat;
    }

    @GetMapping(path = "/queue", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "queueStatus", summary = "Queue depth, running jobs and live workers",
            security = @SecurityRequirement(name = OpenApiConfiguration.BEARER_AUTH))
    Mono<QueueStatus> queue() {
        return Mono.zip(queue.stats(), workers.liveWorkers(heartbeat.workerMaxAge()))
                .map(both -> QueueStatus.of(both.getT1(), both.getT2()));
    }
}
