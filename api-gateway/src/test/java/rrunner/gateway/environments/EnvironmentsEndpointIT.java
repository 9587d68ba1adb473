package rrunner.gateway.environments;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import rrunner.common.environment.EnvironmentReport;
import rrunner.common.environment.EnvironmentStatus;
import rrunner.common.json.JsonCodec;
import rrunner.common.queue.WorkerRegistry;
import rrunner.common.system.ImageInventory;
import rrunner.gateway.problem.ProblemType;
import rrunner.gateway.testing.GatewayOnSharedRedis;
import tools.jackson.databind.JsonNode;

/** {@code GET /environments} and {@code /environments/{name}} from heartbeats and inventories written to Redis. */
@TestPropertySource(properties = {"RUNNER_TOKEN=" + EnvironmentsEndpointIT.TOKEN, "RUNNER_ENVIRONMENTS=r-base,r-full",
        "MAX_MEMORY_LIMIT=4GB"})
class EnvironmentsEndpointIT extends GatewayOnSharedRedis {

    static final String TOKEN = "environments-token";
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Autowired
    private WorkerRegistry workers;

    @Test
    void listsEachEnabledEnvironmentWithTheBestStatusLiveWorkersReport() {
        beat("w1", Map.of("r-base", new EnvironmentReport(EnvironmentStatus.PULLING, null, null),
                "r-full", new EnvironmentReport(EnvironmentStatus.PULLING, null, null)));
        beat("w2", Map.of("r-base", new EnvironmentReport(EnvironmentStatus.READY, "sha256:base", "R 4.2.2")));

        JsonNode list = get("/environments").expectStatus().isOk().expectBody(JsonNode.class).returnResult()
                .getResponseBody();

        assertThat(list.path("default").stringValue()).isEqualTo("r-base");
        JsonNode base = list.path("environments").get(0);
        assertThat(base.path("name").stringValue()).isEqualTo("r-base");
        assertThat(base.path("status").stringValue()).isEqualTo("ready");
        assertThat(base.path("image_id").stringValue()).isEqualTo("sha256:base");
        assertThat(base.path("r_version").stringValue()).isEqualTo("R 4.2.2");
        assertThat(base.path("image").stringValue()).isEqualTo("r-runner-r-base:latest");
        assertThat(base.path("example").stringValue()).isNotBlank();
        assertThat(base.path("limits").path("default").path("memory_mb").longValue()).isEqualTo(512);
        assertThat(base.path("limits").path("max").path("memory_mb").longValue()).isEqualTo(4096);
        assertThat(base.has("packages")).isFalse();
        JsonNode full = list.path("environments").get(1);
        assertThat(full.path("name").stringValue()).isEqualTo("r-full");
        assertThat(full.path("status").stringValue()).isEqualTo("pulling");
        assertThat(full.path("image_id").isNull()).isTrue();
    }

    @Test
    void saysUnavailableWhereNoLiveWorkerReportsAnEnvironment() {
        beat("old", Map.of());

        JsonNode list = get("/environments").expectStatus().isOk().expectBody(JsonNode.class).returnResult()
                .getResponseBody();

        assertThat(list.path("environments").values()).extracting(e -> e.path("status").stringValue())
                .containsExactly("ready", "unavailable");
    }

    @Test
    void showsAnEnvironmentsPackagesFromItsPublishedInventory() {
        beat("w1", Map.of("r-full", new EnvironmentReport(EnvironmentStatus.READY, "sha256:full", "R 4.2.2")));
        redis.sync().set(queue.keys().inventory("r-full"), JsonCodec.write(new ImageInventory(
                List.of("base", "ggplot2"), "R 4.2.2", "r-runner-r-full:latest", "sha256:full",
                Map.of("base", "4.2.2", "ggplot2", "3.4.0"))));

        JsonNode full = get("/environments/r-full").expectStatus().isOk().expectBody(JsonNode.class).returnResult()
                .getResponseBody();

        assertThat(full.path("status").stringValue()).isEqualTo("ready");
        assertThat(full.path("image_id").stringValue()).isEqualTo("sha256:full");
        assertThat(full.path("inventory_status").stringValue()).isEqualTo("reported");
        assertThat(full.path("packages").values()).extracting(JsonNode::stringValue).containsExactly("base", "ggplot2");
        assertThat(full.path("versions").path("ggplot2").stringValue()).isEqualTo("3.4.0");
    }

    @Test
    void saysWhyAnEnvironmentHasNoPackagesYet() {
        JsonNode base = get("/environments/r-base").expectStatus().isOk().expectBody(JsonNode.class).returnResult()
                .getResponseBody();

        assertThat(base.path("inventory_status").stringValue()).isEqualTo("not_reported");
        assertThat(base.path("packages").isEmpty()).isTrue();
        assertThat(base.path("status").stringValue()).isEqualTo("unavailable");
    }

    @Test
    void fillsInTheImageIdFromThePublishedInventoryWhenNoWorkerReportsIt() {
        redis.sync().set(queue.keys().inventory("r-base"), JsonCodec.write(new ImageInventory(List.of("base"),
                "R 4.2.2", "r-runner-r-base:latest", "sha256:listed", Map.of("base", "4.2.2"))));

        JsonNode list = get("/environments").expectStatus().isOk().expectBody(JsonNode.class).returnResult()
                .getResponseBody();

        assertThat(list.path("environments").get(0).path("image_id").stringValue()).isEqualTo("sha256:listed");
    }

    @Test
    void answers404WithTheAvailableOnesForAnUnknownEnvironment() {
        JsonNode problem = get("/environments/r-fancy").expectStatus().isNotFound()
                .expectBody(JsonNode.class).returnResult().getResponseBody();

        assertThat(problem.path("type").stringValue()).isEqualTo(ProblemType.ENVIRONMENT_NOT_FOUND.uri().toString());
        assertThat(problem.path("environment").stringValue()).isEqualTo("r-fancy");
        assertThat(problem.path("available").values()).extracting(JsonNode::stringValue)
                .containsExactly("r-base", "r-full");
    }

    @Test
    void answers401WithoutTheToken() {
        client.get().uri("/environments").exchange().expectStatus().isEqualTo(HttpStatus.UNAUTHORIZED);
        client.get().uri("/environments/r-base").exchange().expectStatus().isEqualTo(HttpStatus.UNAUTHORIZED);
    }

    private void beat(String worker, Map<String, EnvironmentReport> reports) {
        workers.beat(new WorkerRegistry.Heartbeat(worker, 1, 0, Instant.now(), "r-runner-r-base:latest", "test",
                reports, 0, 0), Duration.ofSeconds(5)).block(WAIT);
    }

    private WebTestClient.ResponseSpec get(String path) {
        return client.get().uri(path).header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN).exchange();
    }
}
