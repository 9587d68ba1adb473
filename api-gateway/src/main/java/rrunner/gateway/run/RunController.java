package rrunner.gateway.run;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import rrunner.gateway.config.OpenApiConfiguration;
import rrunner.gateway.tenants.Tenant;

/**
 * {@code POST /run}: the result as one JSON body, or with {@code Accept: application/x-ndjson} or
 * {@code text/event-stream} the job's events as they happen. Its request body, responses and errors are
 * documented in {@code rrunner.gateway.openapi}.
 */
@RestController
@Tag(name = "run", description = "Run R scripts")
class RunController {

    private final RunRequestReader reader;
    private final RunAnswers answers;

    RunController(RunRequestReader reader, RunAnswers answers) {
        this.reader = reader;
        this.answers = answers;
    }

    /** Takes the exchange, not a decoded body, so the body is read under the script size limit as it streams. */
    @PostMapping("/run")
    @Operation(operationId = "runScript", summary = "Run an R script and return its output and files",
            security = @SecurityRequirement(name = OpenApiConfiguration.BEARER_AUTH))
    Mono<ResponseEntity<?>> run(ServerWebExchange exchange) {
        return Mono.fromSupplier(() -> IdempotencyKeyHeader.read(exchange.getRequest()))
                .flatMap(key -> answers.answer(exchange, reader.readJob(exchange.getRequest(), Tenant.of(exchange)),
                        key.orElse(null)));
    }
}
