package rrunner.gateway.tenants;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import rrunner.common.queue.JobQueue;
import rrunner.gateway.config.OpenApiConfiguration;

/** {@code GET /me}: the caller's tenant, its weight and limits, and its queued and running jobs and live sessions. */
@RestController
@Tag(name = "tenant", description = "Who the token belongs to, its limits and usage")
class MeController {

    private final JobQueue queue;

    MeController(JobQueue queue) {
        this.queue = queue;
    }

    @GetMapping(path = "/me", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "getMe", summary = "Your tenant, its limits and its current usage",
            security = @SecurityRequirement(name = OpenApiConfiguration.BEARER_AUTH))
    Mono<MeView> me(ServerWebExchange exchange) {
        Tenant tenant = Tenant.of(exchange);
        return queue.usage(tenant.id()).map(usage -> MeView.of(tenant, usage));
    }
}
