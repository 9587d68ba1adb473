package rrunner.gateway.openapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import rrunner.gateway.testing.GatewayOnSharedRedis;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code clients/openapi.json} is what the Java client is generated from and what the test command lints, so it
 * must be the document the gateway serves. It is written with sorted keys and two-space indents, so a change to
 * the document shows in a diff as the lines it changes, whatever order springdoc emits them in.
 */
@TestPropertySource(properties = {"RUNNER_TOKEN=openapi-token", "PUBLIC_BASE_URL=http://localhost:8000"})
class CommittedOpenApiDocumentIT extends GatewayOnSharedRedis {

    /** Set it to rewrite the committed file from the served document instead of comparing them. */
    static final String WRITE_PROPERTY = "rrunner.openapi.write";

    private static final Path COMMITTED = Path.of("..", "clients", "openapi.json");

    private static final String REGENERATE = "./mvnw -B -o -pl api-gateway -am verify "
            + "-Dit.test=CommittedOpenApiDocumentIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false "
            + "-Dfailsafe.failIfNoSpecifiedTests=false -D" + WRITE_PROPERTY + "=true";

    private static final JsonMapper STABLE = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    @Test
    void committedDocumentIsTheServedOne() throws IOException {
        String served = stable(client.get().uri("/openapi.json").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());

        if (Boolean.getBoolean(WRITE_PROPERTY)) {
            Files.writeString(COMMITTED, served, StandardCharsets.UTF_8);
        }

        assertThat(COMMITTED).as("%s is missing; write it with%n%s", COMMITTED, REGENERATE).exists();
        List<String> expected = Files.readString(COMMITTED, StandardCharsets.UTF_8).lines().toList();
        List<String> actual = served.lines().toList();
        int line = 0;
        while (line < Math.min(expected.size(), actual.size()) && expected.get(line).equals(actual.get(line))) {
            line++;
        }
        if (line < expected.size() || line < actual.size()) {
            fail("%s has drifted from the served /openapi.json at line %d:%n  committed: %s%n  served:    %s%n"
                    + "Check the change is meant, then rewrite the file with%n%s", COMMITTED, line + 1,
                    line < expected.size() ? expected.get(line) : "<end of file>",
                    line < actual.size() ? actual.get(line) : "<end of file>", REGENERATE);
        }
    }

    /** Sorted keys and a final newline: the same document always reads the same, byte for byte. */
    private static String stable(String json) {
        return STABLE.writeValueAsString(STABLE.readValue(json, Map.class)) + "\n";
    }
}
