package rrunner.gateway.info;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Duration;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import rrunner.common.json.JsonCodec;
import rrunner.common.queue.JobQueue;
import rrunner.common.queue.RedisKeys;
import rrunner.common.system.ImageInventory;
import rrunner.gateway.problem.RetryLaterException;
import rrunner.gateway.problem.ProblemType;

/** {@code GET /system}: the execution image's R packages, as the workers last reported them to Redis. */
@RestController
@Tag(name = "info")
class SystemController {

    /** Workers report the image when they start, which takes seconds once a worker is up. */
    private static final Duration RETRY_AFTER = Duration.ofSeconds(10);

    private final RedisReactiveCommands<String, String> redis;
    private final RedisKeys keys;

    SystemController(StatefulRedisConnection<String, String> connection, JobQueue queue) {
        this.redis = connection.reactive();
        this.keys = queue.keys();
    }

    @GetMapping(path = "/system", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "system", summary = "Installed R packages of the execution image, with versions")
    @ApiResponse(responseCode = "200", description = "The inventory the workers last reported")
    @ApiResponse(responseCode = "503", description = "No worker has reported the image yet; retry after Retry-After",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(ref = "#/components/schemas/ProblemDetail")))
    Mono<ImageInventory> system() {
        return redis.get(keys.system())
                .map(json -> JsonCodec.read(json, ImageInventory.class))
                .switchIfEmpty(Mono.error(() -> new RetryLaterException(ProblemType.INVENTORY_NOT_REPORTED.problem(
                        "no worker has reported the execution image yet"), RETRY_AFTER)));
    }
}
