package rrunner.gateway.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import rrunner.common.job.JobSpec;
import rrunner.gateway.problem.ProblemType;
import rrunner.gateway.testing.GatewayOnSharedRedis;
import tools.jackson.databind.JsonNode;

/**
 * What keeps a quiet event stream honest, with {@code STREAM_KEEP_ALIVE_INTERVAL} at one second: keep-alives while
 * nothing happens, so a client that vanished without closing its connection is noticed and its listener released,
 * and a stream whose job vanished from Redis ends instead of waiting for events that will never come.
 */
@TestPropertySource(properties = {"RUNNER_TOKEN=" + StreamLivenessIT.TOKEN, "STREAM_KEEP_ALIVE_INTERVAL=1s"})
class StreamLivenessIT extends GatewayOnSharedRedis {

    static final String TOKEN = "liveness-token";
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(1);
    /** The keep-alive interval plus room for a loaded machine. */
    private static final Duration KEEP_ALIVE_AND_MARGIN = KEEP_ALIVE.plusSeconds(4);
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Autowired
    JobEventListeners listeners;

    WebClient web;

    @BeforeEach
    void newClient() {
        web = WebClient.builder().baseUrl("http://localhost:" + port)
                .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN).build();
    }

    @AfterEach
    void leavesNoListenerBehind() {
        await().atMost(WAIT).until(() -> listeners.following() == 0);
    }

    @Test
    void sendsAKeepAliveLineWhileAnNdjsonStreamIsQuiet() {
        String id = submittedId();

        StepVerifier.create(ndjson(id))
                .assertNext(event -> assertThat(event.path("type").stringValue()).isEqualTo("queued"))
                .assertNext(event -> {
                    assertThat(event.propertyNames()).containsExactly("type");
                    assertThat(event.path("type").stringValue()).isEqualTo("keepalive");
                })
                .thenCancel()
                .verify(KEEP_ALIVE_AND_MARGIN);
    }

    @Test
    void endsTheEventsOfAJobDeletedFromRedisWithA404Event() {
        String id = submittedId();

        StepVerifier.create(ndjson(id))
                .assertNext(event -> assertThat(event.path("type").stringValue()).isEqualTo("queued"))
                .then(() -> redis.sync().flushall())
                .thenConsumeWhile(StreamLivenessIT::isKeepAlive)
                .assertNext(event -> assertGone(event, id))
                .expectComplete()
                .verify(KEEP_ALIVE_AND_MARGIN.multipliedBy(2));
    }

    @Test
    void endsAStreamedRunWhoseJobIsDeletedFromRedisWithA404Event() {
        String[] id = new String[1];

        StepVerifier.create(web.post().uri("/run").accept(MediaType.APPLICATION_NDJSON)
                        .bodyValue(JSON.writeValueAsString(Map.of("script", "cat('hello')")))
                        .retrieve().bodyToFlux(String.class).map(JSON::readTree)
                        .publishOn(Schedulers.boundedElastic()))
                .assertNext(event -> assertThat(event.path("type").stringValue()).isEqualTo("queued"))
                .then(() -> id[0] = redis.sync().lindex(queue.keys().tenantLine(JobSpec.DEFAULT_TENANT), 0))
                .then(() -> redis.sync().flushall())
                .thenConsumeWhile(StreamLivenessIT::isKeepAlive)
                .assertNext(event -> assertGone(event, id[0]))
                .expectComplete()
                .verify(KEEP_ALIVE_AND_MARGIN.multipliedBy(2));
        await().atMost(WAIT).until(() -> waiters.waiting() == 0);
    }

    /**
     * A client whose host is gone (unplugged, rebooted, behind a NAT that forgot it) sends nothing, not even a
     * close: its server learns of it only when it sends a segment, which the host answers with a reset. This client
     * does the same: it reads the first event, then waits for the next byte the server sends and answers it with a
     * reset. A stream that wrote nothing while the job stayed quiet would keep the listener forever.
     */
    @Test
    void releasesTheListenerOfAClientWhoseHostIsGone() throws IOException {
        String id = submittedId();
        try (Socket socket = new Socket("localhost", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /jobs/" + id + "/events HTTP/1.1\r\nHost: localhost\r\nAccept: application/x-ndjson\r\n"
                    + "Authorization: Bearer " + TOKEN + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            readPastTheQueuedEvent(in);
            assertThat(listeners.following()).isEqualTo(1);

            socket.setSoTimeout((int) KEEP_ALIVE_AND_MARGIN.toMillis());
            assertThat(in.read()).as("a byte the server sent to a quiet client").isNotNegative();
            socket.setSoLinger(true, 0);
        }

        await().atMost(KEEP_ALIVE_AND_MARGIN).until(() -> listeners.following() == 0);
    }

    /** Reads the response head and the first event, up to the end of its chunk ("\n" then the chunk's CRLF). */
    private static void readPastTheQueuedEvent(InputStream in) throws IOException {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        String text = "";
        int queued = -1;
        while (queued < 0 || !text.substring(queued).contains("\n\r\n")) {
            int next = in.read();
            assertThat(next).as("the response so far: %s", text).isNotNegative();
            seen.write(next);
            text = seen.toString(StandardCharsets.UTF_8);
            queued = text.indexOf("\"type\":\"queued\"");
        }
        assertThat(text).startsWith("HTTP/1.1 200 OK");
    }

    private static boolean isKeepAlive(JsonNode event) {
        return event.path("type").stringValue().equals("keepalive");
    }

    private static void assertGone(JsonNode event, String id) {
        assertThat(event.path("type").stringValue()).isEqualTo("error");
        assertThat(event.path("status").intValue()).isEqualTo(404);
        assertThat(event.path("problem_type").stringValue()).isEqualTo(ProblemType.JOB_GONE.uri().toString());
        assertThat(event.path("job_id").stringValue()).isEqualTo(id);
    }

    private Flux<JsonNode> ndjson(String id) {
        return web.get().uri("/jobs/{id}/events", id).accept(MediaType.APPLICATION_NDJSON)
                .retrieve().bodyToFlux(String.class).map(JSON::readTree)
                .publishOn(Schedulers.boundedElastic());
    }

    private String submittedId() {
        return JSON.readTree(client.post().uri("/jobs").header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN)
                .bodyValue(JSON.writeValueAsString(Map.of("script", "cat('hello')"))).exchange()
                .expectStatus().isAccepted()
                .expectBody(String.class).returnResult().getResponseBody()).path("id").stringValue();
    }
}
