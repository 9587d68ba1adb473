package rrunner.gateway.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import rrunner.gateway.testing.GatewayOnSharedRedis;

/**
 * The transport at {@code /mcp} over raw HTTP: an MCP session answers only the tenant that started it, the body is
 * read under the gateway's own request cap, and what the transport refuses is a problem with a stable type.
 */
class McpTransportIT extends GatewayOnSharedRedis {

    static final String TOKEN = "mcp-transport-token";
    private static final String OTHER = "mcp-other-tenant-token";
    private static final String INITIALIZE = """
            {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": "2025-06-18",
             "capabilities": {}, "clientInfo": {"name": "it", "version": "1"}}}""";
    private static final String PING = """
            {"jsonrpc": "2.0", "id": 2, "method": "ping"}""";

    @DynamicPropertySource
    static void smallLimits(DynamicPropertyRegistry registry) {
        registry.add("RUNNER_TOKEN", () -> TOKEN);
        registry.add("RUNNER_TOKENS_FILE", McpTransportIT::tokensFile);
        // why: they make the request cap (GatewayProperties.maxRequestBytes) about 10 KB, well under the codec's
        registry.add("MAX_SCRIPT_BYTES", () -> "1000");
        registry.add("MAX_INPUT_BYTES", () -> "1000");
        registry.add("MAX_INPUT_FILE_BYTES", () -> "1000");
        registry.add("MAX_INPUT_FILES", () -> "1");
    }

    @Test
    void anotherTenantsSessionIdAnswers404LikeAnUnknownOne() {
        String session = initialize(TOKEN);

        post(TOKEN, session, PING).expectStatus().isOk();
        post(OTHER, session, PING).expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.type").isEqualTo("urn:rrunner:problem:mcp-session-not-found");
        post(OTHER, "no-such-session", PING).expectStatus().isNotFound()
                .expectBody().jsonPath("$.type").isEqualTo("urn:rrunner:problem:mcp-session-not-found");
        client.delete().uri(McpProtocol.ENDPOINT).header(HttpHeaders.AUTHORIZATION, "Bearer " + OTHER)
                .header("Mcp-Session-Id", session).exchange().expectStatus().isNotFound();
        post(TOKEN, session, PING).expectStatus().isOk();
    }

    @Test
    void aBodyOverTheRequestCapAnswers413() {
        String big = "{\"jsonrpc\": \"2.0\", \"id\": 3, \"method\": \"ping\", \"params\": {\"pad\": \""
                + "x".repeat(100_000) + "\"}}";

        post(TOKEN, initialize(TOKEN), big).expectStatus().isEqualTo(413)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.type").isEqualTo("urn:rrunner:problem:request-too-large");
    }

    @Test
    void aBadAcceptIsAProblem() {
        client.post().uri(McpProtocol.ENDPOINT).header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN)
                .contentType(MediaType.APPLICATION_JSON).accept(MediaType.APPLICATION_JSON).bodyValue(INITIALIZE)
                .exchange().expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.type").isEqualTo("urn:rrunner:problem:invalid-mcp-request");
    }

    @Test
    void aBodyThatIsNotJsonRpcIsAProblem() {
        post(TOKEN, null, "{\"hello\": 1}").expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.type").isEqualTo("urn:rrunner:problem:invalid-mcp-request");
    }

    private String initialize(String token) {
        String session = post(token, null, INITIALIZE).expectStatus().isOk().returnResult(String.class)
                .getResponseHeaders().getFirst("Mcp-Session-Id");
        assertThat(session).isNotBlank();
        return session;
    }

    private WebTestClient.ResponseSpec post(String token, String session, String body) {
        return client.post().uri(McpProtocol.ENDPOINT).header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .headers(headers -> {
                    if (session != null) {
                        headers.set("Mcp-Session-Id", session);
                    }
                })
                .contentType(MediaType.APPLICATION_JSON)
                .accept(MediaType.APPLICATION_JSON, MediaType.TEXT_EVENT_STREAM)
                .bodyValue(body).exchange();
    }

    private static String tokensFile() {
        try {
            Path file = Files.createTempFile("tokens", ".yaml");
            file.toFile().deleteOnExit();
            Files.writeString(file, """
                    tenants:
                      - id: other
                        token_sha256: [%s]
                    """.formatted(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                            .digest(OTHER.getBytes(StandardCharsets.UTF_8)))));
            return file.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
