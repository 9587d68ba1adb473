package rrunner.gateway.run;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import rrunner.common.job.RunResult;
import rrunner.gateway.openapi.OpenApiConfiguration;

/** {@code POST /run}. Its request body, responses and errors are documented in {@code rrunner.gateway.openapi}. */
@RestController
@Tag(name = "run", description = "Run R scripts")
class RunController {

    private final RunRequestReader reader;
    private final RunSubmitter submitter;

    RunController(RunRequestReader reader, RunSubmitter submitter) {
        this.reader = reader;
        this.submitter = submitter;
    }

    /** Takes the exchange, not a decoded body, so the body is read under the script size limit as it streams. */
    @PostMapping("/run")
    @Operation(operationId = "runScript", summary = "Run an R script and return its output and files",
            description = "Runs the script in a fresh, network-less, locked-down R container and waits for it. "
                    + "A script that fails (stop(), quit(status = 3)) is still a 200 with success false.",
            security = @SecurityRequirement(name = OpenApiConfiguration.BEARER_AUTH))
    Mono<RunResult> run(ServerWebExchange exchange) {
        return reader.readScript(exchange.getRequest()).flatMap(submitter::run);
    }
}
