package rrunner.gateway.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import rrunner.gateway.problem.ProblemType;
import rrunner.gateway.testing.GatewayOnSharedRedis;
import rrunner.gateway.testing.StreamedBodies;
import tools.jackson.databind.JsonNode;

/**
 * What {@code POST /run} refuses before anything is queued: no or a wrong token, a body or script over the
 * limit (refused while the body streams in), a body that is not a {@code {"script": "..."}} object with each key
 * once; {@code POST /jobs} reads its body the same way.
 */
@TestPropertySource(properties = {"RUNNER_TOKEN=" + RunRejectionIT.TOKEN, "MAX_SCRIPT_BYTES=1000",
        "MAX_INPUT_FILES=1", "MAX_INPUT_FILE_BYTES=999", "MAX_INPUT_BYTES=999"})
class RunRejectionIT extends GatewayOnSharedRedis {

    static final String TOKEN = "rejection-token";
    /**
     * The largest body the gateway reads: 6 x MAX_SCRIPT_BYTES + 4096, plus MAX_INPUT_BYTES as base64 and 2048 per
     * input file.
     */
    private static final int MAX_BODY = 6 * 1000 + 4096 + 1332 + 2048;

    /** Refused requests must leave nothing behind in the queue. */
    @AfterEach
    void queuedNothing() {
        assertThat(redis.sync().llen(queue.keys().waiting())).isZero();
    }

    @Test
    void answers401WithoutAToken() {
        JsonNode problem = readJson(client.post().uri("/run").bodyValue(json("cat(1)")).exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().valueMatches(HttpHeaders.WWW_AUTHENTICATE, "Bearer.*"));

        assertThat(problem.path("detail").stringValue()).contains("missing bearer token");
        assertThat(problem.path("type").stringValue()).isEqualTo(ProblemType.UNAUTHORIZED.uri().toString());
    }

    @Test
    void answers401ForAWrongToken() {
        JsonNode problem = readJson(client.post().uri("/run").header(HttpHeaders.AUTHORIZATION, "Bearer nope")
                .bodyValue(json("cat(1)")).exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().valueMatches(HttpHeaders.WWW_AUTHENTICATE, "Bearer.*invalid_token.*"));

        assertThat(problem.path("detail").stringValue()).isEqualTo("invalid bearer token");
    }

    @Test
    void answers401BeforeReadingTheBody() {
        client.post().uri("/run").header(HttpHeaders.AUTHORIZATION, "Bearer nope")
                .body(BodyInserters.fromPublisher(StreamedBodies.neverEnding(), DataBuffer.class)).exchange()
                .expectStatus().isUnauthorized();
    }

    @Test
    void answers413ForAScriptOverMaxScriptBytes() {
        JsonNode problem = readJson(run("x".repeat(1001)).expectStatus().isEqualTo(HttpStatus.CONTENT_TOO_LARGE));

        assertThat(problem.path("detail").stringValue())
                .isEqualTo("script is 1001 bytes, over MAX_SCRIPT_BYTES (1000)");
        assertThat(problem.path("type").stringValue()).isEqualTo(ProblemType.SCRIPT_TOO_LARGE.uri().toString());
    }

    @Test
    void countsScriptBytesInUtf8() {
        JsonNode problem = readJson(run("é".repeat(501)).expectStatus().isEqualTo(HttpStatus.CONTENT_TOO_LARGE));

        assertThat(problem.path("detail").stringValue()).startsWith("script is 1002 bytes");
    }

    @Test
    void answers413ForADeclaredLengthOverTheLimitWithoutReadingTheBody() {
        JsonNode problem = readJson(client.post().uri("/run").header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN)
                .contentLength(StreamedBodies.HUGE_BYTES)
                .body(BodyInserters.fromPublisher(StreamedBodies.neverEnding(), DataBuffer.class)).exchange()
                .expectStatus().isEqualTo(HttpStatus.CONTENT_TOO_LARGE));

        assertThat(problem.path("detail").stringValue()).contains("over " + MAX_BODY + " bytes");
        assertThat(problem.path("type").stringValue()).isEqualTo(ProblemType.REQUEST_TOO_LARGE.uri().toString());
        assertThat(problem.path("limit").intValue()).isEqualTo(MAX_BODY);
    }

    @Test
    void answers413ForAStreamedBodyOverTheLimitBeforeItEnds() {
        JsonNode problem = readJson(client.post().uri("/run").header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN)
                .body(BodyInserters.fromPublisher(StreamedBodies.neverEnding(), DataBuffer.class)).exchange()
                .expectStatus().isEqualTo(HttpStatus.CONTENT_TOO_LARGE));

        assertThat(problem.path("detail").stringValue()).contains("over " + MAX_BODY + " bytes");
        assertThat(problem.path("type").stringValue()).isEqualTo(ProblemType.REQUEST_TOO_LARGE.uri().toString());
        assertThat(problem.path("limit").intValue()).isEqualTo(MAX_BODY);
    }

    /**
     * The server closes the connection once it refused the body; a client still sending may see that close
     * before it reads the 413 (HTTP/1.1 has no way round this race), so either outcome is accepted here.
     */
    @Test
    void stopsReadingAHugeStreamedBodyOnceItPassesTheLimit() {
        AtomicLong sent = new AtomicLong();

        Optional<HttpStatusCode> status = WebClient.create("http://localhost:" + port).post().uri("/run")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN)
                .body(BodyInserters.fromPublisher(StreamedBodies.huge(sent), DataBuffer.class))
                .exchangeToMono(response -> response.releaseBody().thenReturn(Optional.of(response.statusCode())))
                .onErrorReturn(WebClientRequestException.class, Optional.empty())
                .block(Duration.ofSeconds(30));

        assertThat(status).satisfiesAnyOf(
                closed -> assertThat(closed).isEmpty(),
                answered -> assertThat(answered).contains(HttpStatus.CONTENT_TOO_LARGE));
        assertThat(sent.get()).isGreaterThan(MAX_BODY).isLessThan(StreamedBodies.HUGE_BYTES / 2);
    }

    @Test
    void answers400ForMalformedJson() {
        JsonNode problem = readJson(runRaw("{\"script\": \"cat(1)\"").expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON));

        assertThat(problem.path("detail").stringValue()).startsWith("request body is not valid JSON");
    }

    @Test
    void answers400ForAnEmptyBody() {
        JsonNode problem = readJson(runRaw("").expectStatus().isBadRequest());

        assertThat(problem.path("detail").stringValue()).startsWith("request body is empty");
    }

    @Test
    void answers422WhenTheScriptIsMissing() {
        JsonNode problem = readJson(runRaw("{\"code\": \"cat(1)\"}")
                .expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT));

        assertThat(problem.path("detail").stringValue()).startsWith("missing required field \"script\"");
    }

    @Test
    void answers422WhenTheScriptIsNotAString() {
        JsonNode problem = readJson(runRaw("{\"script\": 42}")
                .expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT));

        assertThat(problem.path("detail").stringValue()).isEqualTo("field \"script\" must be a string, got a number");
    }

    @ParameterizedTest(name = "POST {0}")
    @ValueSource(strings = {"/run", "/jobs"})
    void answers422WithATypedProblemWhenTheBodyNamesTheScriptTwice(String path) {
        JsonNode problem = readJson(client.post().uri(path).header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"script\": \"cat(1)\", \"script\": \"cat(2)\"}")
                .exchange()
                .expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON));

        assertThat(problem.path("type").stringValue()).isEqualTo(ProblemType.DUPLICATE_PROPERTY.uri().toString());
        assertThat(problem.path("detail").stringValue()).startsWith("request body names a property twice")
                .contains("\"script\"");
    }

    @Test
    void answers422WhenTheBodyIsNotAnObject() {
        runRaw("[\"cat(1)\"]").expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT);
    }

    private WebTestClient.ResponseSpec run(String script) {
        return runRaw(json(script));
    }

    private WebTestClient.ResponseSpec runRaw(String body) {
        return client.post().uri("/run").header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private static JsonNode readJson(WebTestClient.ResponseSpec response) {
        return JSON.readTree(response.expectBody(String.class).returnResult().getResponseBody());
    }

    private static String json(String script) {
        return JSON.writeValueAsString(Map.of("script", script));
    }
}
