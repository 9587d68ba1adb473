package rrunner.gateway.info;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import rrunner.common.redis.QueueProperties;

/**
 * The static public endpoints. Documents are read once at startup, so requests never touch the file system
 * from an event loop.
 */
@RestController
@Tag(name = "info", description = "Public facts about the service; no token needed")
class InfoController {

    private static final List<String> ENDPOINTS = List.of(
            "POST /run", "POST /jobs", "GET /jobs/{id}", "DELETE /jobs/{id}", "GET /jobs/{id}/events",
            "GET /queue", "GET /environments", "GET /environments/{name}", "GET /health", "GET /system",
            "GET /schema", "GET /privacy", "GET /openapi.json", "GET /docs", "GET /");

    private final String runResultSchema;
    private final String privacyPage;

    InfoController(QueueProperties queue) {
        this.runResultSchema = resource("run-result.schema.json");
        this.privacyPage = resource("privacy.html").replace("{{RESULT_TTL}}", describe(queue.resultTtl()));
    }

    /** Answers without Redis: it says the process serves HTTP, so a Redis outage doesn't restart gateways. */
    @GetMapping(path = "/health", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "health", summary = "Liveness: always {\"ok\": true} while the gateway serves HTTP")
    Health health() {
        return Health.OK;
    }

    @GetMapping(path = "/schema", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "runResultSchema", summary = "JSON Schema (draft 2020-12) of the POST /run response",
            responses = @ApiResponse(responseCode = "200", description = "A JSON Schema document",
                    content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @Schema(type = "object"))))
    String schema() {
        return runResultSchema;
    }

    @GetMapping(path = "/", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "index", summary = "The service name and its endpoints")
    ServiceIndex index() {
        return new ServiceIndex("r-runner", ENDPOINTS);
    }

    @GetMapping(path = "/privacy", produces = MediaType.TEXT_HTML_VALUE)
    @Operation(operationId = "privacy", summary = "Privacy policy (HTML)")
    String privacy() {
        return privacyPage;
    }

    /** "1 hour", "90 minutes", "45 seconds": the largest whole unit, for the privacy page. */
    static String describe(Duration ttl) {
        long seconds = ttl.toSeconds();
        if (seconds > 0 && seconds % 3600 == 0) {
            return plural(seconds / 3600, "hour");
        }
        if (seconds > 0 && seconds % 60 == 0) {
            return plural(seconds / 60, "minute");
        }
        return plural(seconds, "second");
    }

    private static String plural(long count, String unit) {
        return count + " " + unit + (count == 1 ? "" : "s");
    }

    private static String resource(String name) {
        try {
            return new ClassPathResource("rrunner/gateway/info/" + name).getContentAsString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("missing resource " + name, e);
        }
    }
}
