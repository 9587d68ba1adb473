package rrunner.gateway.info;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import rrunner.common.json.JsonCodec;
import rrunner.common.system.ImageInventory;
import rrunner.gateway.problem.ProblemType;
import rrunner.gateway.testing.GatewayOnSharedRedis;
import tools.jackson.databind.JsonNode;

@TestPropertySource(properties = {"RUNNER_TOKEN=info-token", "PUBLIC_BASE_URL=runner.example.com", "RESULT_TTL=90m"})
class InfoEndpointsIT extends GatewayOnSharedRedis {

    @Test
    void healthIsExactlyOkTrue() {
        client.get().uri("/health").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).isEqualTo("{\"ok\":true}");
    }

    @Test
    void indexNamesTheServiceAndItsEndpoints() {
        JsonNode index = getJson("/");

        assertThat(index.path("service").stringValue()).isEqualTo("r-runner");
        assertThat(index.path("endpoints").values()).extracting(JsonNode::stringValue)
                .contains("POST /run", "GET /health", "GET /system", "GET /schema", "GET /privacy",
                        "GET /openapi.json", "GET /docs");
    }

    @Test
    void systemIs503UntilAWorkerReportsTheImage() {
        JsonNode problem = JSON.readTree(client.get().uri("/system").exchange()
                .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectHeader().valueMatches(HttpHeaders.RETRY_AFTER, "\\d+")
                .expectBody(String.class).returnResult().getResponseBody());

        assertThat(problem.path("detail").stringValue()).isEqualTo("no worker has reported the execution image yet");
        assertThat(problem.path("type").stringValue()).isEqualTo(ProblemType.INVENTORY_NOT_REPORTED.uri().toString());
    }

    @Test
    void systemReturnsTheInventoryWorkersStored() {
        ImageInventory inventory = new ImageInventory(List.of("base", "stats"), "4.2.2", "r-runner-r-base:latest",
                "sha256:abc", Map.of("stats", "4.2.2", "base", "4.2.2"));
        redis.sync().set(queue.keys().system(), JsonCodec.write(inventory));

        String body = client.get().uri("/system").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();

        JsonNode system = JSON.readTree(body);
        assertThat(system.propertyNames()).containsExactly("packages", "r_version", "image", "image_id", "versions");
        assertThat(system.path("packages").values()).extracting(JsonNode::stringValue).containsExactly("base", "stats");
        assertThat(system.path("versions").propertyNames()).containsExactly("base", "stats");
    }

    @Test
    void schemaDescribesTheRunResult() {
        JsonNode schema = getJson("/schema");

        assertThat(schema.path("$schema").stringValue()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(schema.path("required").values()).extracting(JsonNode::stringValue)
                .containsExactly("success", "exit_code", "stdout", "stderr", "runtime_stderr", "artifacts");
        JsonNode artifact = schema.path("properties").path("artifacts").path("items");
        assertThat(artifact.path("properties").path("encoding").path("enum").values())
                .extracting(JsonNode::stringValue).containsExactly("utf-8", "base64");
    }

    @Test
    void privacyIsAnHtmlPageNamingTheResultTtl() {
        String page = client.get().uri("/privacy").exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML)
                .expectBody(String.class).returnResult().getResponseBody();

        assertThat(page).contains("<html").contains("at most 90 minutes").contains("third parties");
    }

    @Test
    void openApiIsVersion31WithThePublicServerAndTheRunOperation() {
        JsonNode api = getJson("/openapi.json");

        assertThat(api.path("openapi").stringValue()).startsWith("3.1");
        assertThat(api.path("servers").get(0).path("url").stringValue()).isEqualTo("https://runner.example.com");
        assertThat(api.path("components").path("securitySchemes").path("bearerAuth").path("scheme").stringValue())
                .isEqualTo("bearer");
        JsonNode run = api.path("paths").path("/run").path("post");
        assertThat(run.path("security").get(0).has("bearerAuth")).isTrue();
        assertThat(run.path("responses").propertyNames())
                .contains("200", "400", "401", "408", "413", "422", "429", "503");
        assertThat(run.path("responses").path("200").path("headers").path("Server-Timing").path("description")
                .stringValue()).contains("queue", "acquire", "run", "collect", "total");
        assertThat(run.path("requestBody").path("content").path("application/json").path("schema").path("$ref")
                .stringValue()).isEqualTo("#/components/schemas/RunRequest");
    }

    /**
     * A client learns a problem type from the answers documented with it, so each must show in one; but those only
     * {@code /mcp} answers, which MCP clients reach through their SDK and the OpenAPI document leaves out.
     */
    @Test
    void openApiShowsEveryTypedProblemInAnAnswerItIsGivenIn() {
        String answers = getJson("/openapi.json").path("paths").toString();
        EnumSet<ProblemType> mcpOnly = EnumSet.of(ProblemType.INVALID_MCP_REQUEST, ProblemType.MCP_SESSION_NOT_FOUND,
                ProblemType.MCP_SESSIONS_FULL);

        for (ProblemType type : EnumSet.complementOf(mcpOnly)) {
            assertThat(answers.contains("\"" + type.uri() + "\"")).as("%s shown in an answer", type.uri()).isTrue();
        }
    }

    /** Clients read a problem's members from the ProblemDetail schema, so each type's members must be in it. */
    @Test
    void openApiProblemDetailListsEveryTypeAndMember() {
        JsonNode problem = getJson("/openapi.json").path("components").path("schemas").path("ProblemDetail");

        assertThat(problem.path("properties").path("type").path("examples").values()).extracting(JsonNode::stringValue)
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(ProblemType.values())
                        .map(type -> type.uri().toString()).toList());
        for (ProblemType type : ProblemType.values()) {
            assertThat(problem.path("properties").propertyNames()).as("members of %s", type.uri())
                    .containsAll(type.members());
        }
    }

    @Test
    void openApiDocumentsTheRequestsNewFieldsAndTheResultsProvenance() {
        JsonNode schemas = getJson("/openapi.json").path("components").path("schemas");

        assertThat(schemas.path("RunRequest").path("properties").propertyNames())
                .contains("script", "environment", "limits", "files");
        assertThat(schemas.path("RunResult").path("properties").propertyNames()).contains("provenance");
        assertThat(schemas.path("Job").path("properties").propertyNames())
                .contains("environment", "limits", "input_files");
        assertThat(schemas.path("Provenance").path("required").values()).extracting(JsonNode::stringValue)
                .containsExactlyInAnyOrder("environment", "image_id", "r_version", "limits", "input_files");
        assertThat(schemas.path("Provenance").path("description").stringValue()).contains("filled in by the worker");
        assertThat(schemas.path("EnvironmentDetails").path("properties").propertyNames())
                .contains("name", "image_id", "r_version", "status", "limits", "packages", "versions");
    }

    @Test
    void openApiRunResultMatchesTheJsonSchema() {
        JsonNode fromOpenApi = getJson("/openapi.json").path("components").path("schemas").path("RunResult");
        JsonNode fromSchema = getJson("/schema");

        assertThat(fromOpenApi.path("required").values()).extracting(JsonNode::stringValue)
                .containsExactlyInAnyOrderElementsOf(fromSchema.path("required").values().stream()
                        .map(JsonNode::stringValue).toList());
        assertThat(fromOpenApi.path("properties").propertyNames())
                .containsExactlyInAnyOrderElementsOf(fromSchema.path("properties").propertyNames());
        fromSchema.path("properties").properties().forEach(property -> assertThat(
                fromOpenApi.path("properties").path(property.getKey()).path("type"))
                .as(property.getKey()).isEqualTo(property.getValue().path("type")));
    }

    @Test
    void swaggerUiIsServedWithoutAToken() {
        String location = client.get().uri("/docs").exchange()
                .expectStatus().is3xxRedirection()
                .returnResult(Void.class).getResponseHeaders().getLocation().getPath();

        client.get().uri(location).exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML);
    }

    @Test
    void unknownPathsAreProblemDetails() {
        JsonNode problem = JSON.readTree(client.get().uri("/nope").exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(String.class).returnResult().getResponseBody());

        assertThat(problem.path("detail").stringValue()).isNotBlank();
        assertThat(problem.path("type").stringValue()).isEqualTo(ProblemType.NOT_FOUND.uri().toString());
    }

    @Test
    void wrongMethodsAreProblemDetails() {
        client.delete().uri("/health").exchange()
                .expectStatus().isEqualTo(HttpStatus.METHOD_NOT_ALLOWED)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    private JsonNode getJson(String path) {
        return JSON.readTree(client.get().uri(path).exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());
    }
}
