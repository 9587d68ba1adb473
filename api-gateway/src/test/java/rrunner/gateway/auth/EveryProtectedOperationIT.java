package rrunner.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.TestPropertySource;
import rrunner.gateway.testing.GatewayOnSharedRedis;
import tools.jackson.databind.JsonNode;

/**
 * Every operation the OpenAPI document says needs the bearer token answers 401 without it, so a new controller
 * cannot be documented as protected while the filter lets it through.
 */
@TestPropertySource(properties = "RUNNER_TOKEN=protected-token")
class EveryProtectedOperationIT extends GatewayOnSharedRedis {

    @Test
    void everyOperationDocumentedAsProtectedAnswers401WithoutTheToken() {
        JsonNode paths = JSON.readTree(client.get().uri("/openapi.json").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody()).path("paths");
        List<String> open = new ArrayList<>();
        int checked = 0;
        for (Map.Entry<String, JsonNode> path : paths.properties()) {
            for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                if (!operation.getValue().path("security").path(0).has("bearerAuth")) {
                    continue;
                }
                String uri = path.getKey().replaceAll("\\{[^}]+}", "x");
                HttpStatus status = HttpStatus.valueOf(client.method(HttpMethod.valueOf(operation.getKey()
                        .toUpperCase())).uri(uri).exchange().returnResult(String.class).getStatus().value());
                checked++;
                if (status != HttpStatus.UNAUTHORIZED) {
                    open.add(operation.getKey() + " " + path.getKey() + " answered " + status);
                }
            }
        }

        assertThat(checked).isGreaterThan(10);
        assertThat(open).isEmpty();
    }
}
