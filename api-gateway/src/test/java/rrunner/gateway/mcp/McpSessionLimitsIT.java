package rrunner.gateway.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import rrunner.gateway.testing.GatewayOnSharedRedis;

/** The bounds on the MCP sessions a gateway keeps in memory: a cap, and an idle time after which one is dropped. */
@TestPropertySource(properties = {
        "RUNNER_TOKEN=" + McpSessionLimitsIT.TOKEN, "MCP_MAX_SESSIONS=2", "MCP_SESSION_IDLE_TIMEOUT=2s"})
class McpSessionLimitsIT extends GatewayOnSharedRedis {

    static final String TOKEN = "mcp-limits-token";
    private static final String INITIALIZE = """
            {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": "2025-06-18",
             "capabilities": {}, "clientInfo": {"name": "it", "version": "1"}}}""";
    private static final String PING = """
            {"jsonrpc": "2.0", "id": 2, "method": "ping"}""";

    @Test
    void anInitializePastTheCapAnswers503WithRetryAfter() {
        String first = initialize();
        String second = initialize();
        try {
            post(null, INITIALIZE).expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                    .expectHeader().exists(HttpHeaders.RETRY_AFTER)
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.type").isEqualTo("urn:rrunner:problem:mcp-sessions-full")
                    .jsonPath("$.limit").isEqualTo(2);
        } finally {
            delete(first);
            delete(second);
        }
    }

    @Test
    void anIdleSessionIsDroppedAndItsPlaceFreed() {
        String session = initialize();

        // why polls further apart than the idle timeout: each request to the session marks it used again
        await().atMost(Duration.ofSeconds(15)).pollDelay(Duration.ofSeconds(3)).pollInterval(Duration.ofSeconds(3))
                .until(() -> post(session, PING).returnResult(String.class).getStatus() == HttpStatus.NOT_FOUND);
        delete(initialize());
        delete(initialize());
    }

    private String initialize() {
        String session = post(null, INITIALIZE).expectStatus().isOk().returnResult(String.class)
                .getResponseHeaders().getFirst("Mcp-Session-Id");
        assertThat(session).isNotBlank();
        return session;
    }

    private void delete(String session) {
        client.delete().uri(McpProtocol.ENDPOINT).header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN)
                .header("Mcp-Session-Id", session).exchange();
    }

    private WebTestClient.ResponseSpec post(String session, String body) {
        return client.post().uri(McpProtocol.ENDPOINT).header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN)
                .headers(headers -> {
                    if (session != null) {
                        headers.set("Mcp-Session-Id", session);
                    }
                })
                .contentType(MediaType.APPLICATION_JSON)
                .accept(MediaType.APPLICATION_JSON, MediaType.TEXT_EVENT_STREAM)
                .bodyValue(body).exchange();
    }
}
