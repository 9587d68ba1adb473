package rrunner.gateway.environments;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import rrunner.gateway.config.OpenApiConfiguration;

/**
 * {@code GET /environments} and {@code GET /environments/{name}}: what callers may pick, read fresh from the
 * workers' heartbeats and published inventories on every call (an occasional question whose answer should be
 * current). Responses are documented in {@code rrunner.gateway.openapi}.
 */
@RestController
@Tag(name = "environments", description = "The environments a script may run in")
class EnvironmentsController {

    private final EnvironmentCatalog catalog;

    EnvironmentsController(EnvironmentCatalog catalog) {
        this.catalog = catalog;
    }

    @GetMapping(path = "/environments", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "listEnvironments", summary = "The environments a script may run in",
            security = @SecurityRequirement(name = OpenApiConfiguration.BEARER_AUTH))
    Mono<EnvironmentList> list() {
        return catalog.list();
    }

    @GetMapping(path = "/environments/{name}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "getEnvironment", summary = "One environment with its installed R packages",
            security = @SecurityRequirement(name = OpenApiConfiguration.BEARER_AUTH))
    Mono<EnvironmentView> get(@PathVariable String name) {
        return catalog.describe(name);
    }
}
