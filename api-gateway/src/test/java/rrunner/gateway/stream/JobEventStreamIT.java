package rrunner.gateway.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import rrunner.common.event.JobEventType;
import rrunner.common.job.RunResult;
import rrunner.common.queue.ClaimedJob;
import rrunner.gateway.problem.ProblemType;
import rrunner.gateway.testing.GatewayOnSharedRedis;
import rrunner.gateway.testing.HandDrivenWorker;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /jobs/{id}/events} as NDJSON and SSE: live output while the script runs, replay for late clients,
 * resumption after {@code Last-Event-ID}, and no listener left behind by a client that went away.
 */
@TestPropertySource(properties = "RUNNER_TOKEN=" + JobEventStreamIT.TOKEN)
class JobEventStreamIT extends GatewayOnSharedRedis {

    static final String TOKEN = "stream-token";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final RunResult RESULT = RunResult.ofScript(0, "hello\nworld\n", "", List.of());
    private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE =
            new ParameterizedTypeReference<>() {
            };

    @Autowired
    JobEventListeners listeners;

    HandDrivenWorker worker;
    WebClient web;

    @BeforeEach
    void newWorker() {
        worker = new HandDrivenWorker(queue);
        web = WebClient.builder().baseUrl("http://localhost:" + port)
                .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN).build();
    }

    @AfterEach
    void leavesNoListenerBehind() {
        await().atMost(Duration.ofSeconds(5)).until(() -> listeners.following() == 0);
    }

    @Test
    void streamsOutputAsNdjsonWhileTheScriptRunsThenTheResult() {
        String id = submittedId();
        ClaimedJob[] job = new ClaimedJob[1];

        StepVerifier.create(ndjson(id))
                .assertNext(event -> assertEvent(event, "queued", ""))
                .then(() -> job[0] = worker.takeJob())
                .assertNext(event -> assertEvent(event, "started", job[0].workerId()))
                .then(() -> worker.prints(job[0], JobEventType.STDOUT, "hello\n"))
                .assertNext(event -> assertEvent(event, "stdout", "hello\n"))
                .then(() -> worker.prints(job[0], JobEventType.STDERR, "a warning\n"))
                .assertNext(event -> assertEvent(event, "stderr", "a warning\n"))
                .then(() -> worker.finishes(job[0], RESULT))
                .assertNext(event -> {
                    assertThat(event.propertyNames()).containsExactly("id", "type", "status", "result");
                    assertThat(event.path("type").stringValue()).isEqualTo("result");
                    assertThat(event.path("status").stringValue()).isEqualTo("succeeded");
                    assertThat(JSON.treeToValue(event.path("result"), RunResult.class)).isEqualTo(RESULT);
                })
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void replaysEverythingToAClientThatComesAfterTheEnd() {
        String id = submittedId();
        ClaimedJob job = worker.takeJob();
        worker.prints(job, JobEventType.STDOUT, "hello\n");
        worker.finishes(job, RESULT);

        List<JsonNode> events = ndjson(id).collectList().block(WAIT);

        assertThat(events).extracting(event -> event.path("type").stringValue())
                .containsExactly("queued", "started", "stdout", "result");
        assertThat(events).extracting(event -> event.path("id").stringValue())
                .allMatch(entryId -> entryId.matches("\\d+-\\d+")).doesNotHaveDuplicates();
    }

    @Test
    void answersNdjsonUnlessTheClientAsksForServerSentEvents() {
        String id = submittedId();
        worker.finishes(worker.takeJob(), RESULT);

        client.get().uri("/jobs/{id}/events", id).header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN).exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_NDJSON)
                .expectBody(String.class).value(body -> assertThat(body.lines()).hasSize(3));
    }

    @Test
    void resumesServerSentEventsAfterTheLastEventId() {
        String id = submittedId();
        ClaimedJob job = worker.takeJob();
        worker.prints(job, JobEventType.STDOUT, "hello\n");
        List<ServerSentEvent<String>> before = sse(id, null).take(3).collectList().block(WAIT);
        assertThat(before).extracting(ServerSentEvent::event).containsExactly("queued", "started", "stdout");
        ServerSentEvent<String> started = before.get(1);
        assertThat(started.id()).matches("\\d+-\\d+");
        assertThat(JSON.readTree(started.data()).path("id").stringValue()).isEqualTo(started.id());

        StepVerifier.create(sse(id, started.id()))
                .assertNext(event -> assertThat(JSON.readTree(event.data()).path("data").stringValue())
                        .isEqualTo("hello\n"))
                .then(() -> worker.prints(job, JobEventType.STDOUT, "world\n"))
                .assertNext(event -> assertThat(JSON.readTree(event.data()).path("data").stringValue())
                        .isEqualTo("world\n"))
                .then(() -> worker.finishes(job, RESULT))
                .assertNext(event -> {
                    assertThat(event.event()).isEqualTo("result");
                    assertThat(JSON.readTree(event.data()).path("status").stringValue()).isEqualTo("succeeded");
                })
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void answers204ToAClientThatAlreadySawTheLastEvent() {
        String id = submittedId();
        worker.finishes(worker.takeJob(), RESULT);
        String lastId = sse(id, null).last().block(WAIT).id();

        client.get().uri("/jobs/{id}/events", id).header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN)
                .accept(MediaType.TEXT_EVENT_STREAM).header("Last-Event-ID", lastId).exchange()
                .expectStatus().isNoContent();
    }

    @Test
    void refusesALastEventIdThatIsNoStreamEntryId() {
        String id = submittedId();

        client.get().uri("/jobs/{id}/events", id).header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN)
                .header("Last-Event-ID", "latest").exchange()
                .expectStatus().isEqualTo(HttpStatus.BAD_REQUEST);
    }

    @Test
    void refusesALastEventIdWhosePartsDoNotFitIn64BitsBeforeStreaming() {
        String id = submittedId();

        JsonNode problem = JSON.readTree(client.get().uri("/jobs/{id}/events", id)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN)
                .header("Last-Event-ID", "18446744073709551616-0").exchange()
                .expectStatus().isEqualTo(HttpStatus.BAD_REQUEST)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(String.class).returnResult().getResponseBody());

        assertThat(problem.path("type").stringValue()).isEqualTo(ProblemType.INVALID_LAST_EVENT_ID.uri().toString());
        assertThat(problem.path("detail").stringValue()).startsWith("Last-Event-ID must be");
    }

    @Test
    void forgetsTheListenerOfAClientThatDisconnects() {
        String id = submittedId();

        StepVerifier.create(ndjson(id))
                .assertNext(event -> assertEvent(event, "queued", ""))
                .then(() -> assertThat(listeners.following()).isEqualTo(1))
                .thenCancel()
                .verify(WAIT);
        // the @AfterEach check waits for the server to notice the closed connection
    }

    private Flux<JsonNode> ndjson(String id) {
        return web.get().uri("/jobs/{id}/events", id).accept(MediaType.APPLICATION_NDJSON)
                .retrieve().bodyToFlux(String.class).map(JSON::readTree)
                // why: StepVerifier runs a step's task on the thread of the signal before it; off the event loop
                // the task may block, as the hand-driven worker does
                .publishOn(Schedulers.boundedElastic());
    }

    private Flux<ServerSentEvent<String>> sse(String id, String lastEventId) {
        return web.get().uri("/jobs/{id}/events", id).accept(MediaType.TEXT_EVENT_STREAM)
                .headers(headers -> {
                    if (lastEventId != null) {
                        headers.set("Last-Event-ID", lastEventId);
                    }
                })
                .retrieve().bodyToFlux(SSE)
                .publishOn(Schedulers.boundedElastic());
    }

    private String submittedId() {
        return JSON.readTree(client.post().uri("/jobs").header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN)
                .bodyValue(JSON.writeValueAsString(Map.of("script", "cat('hello')"))).exchange()
                .expectStatus().isAccepted()
                .expectBody(String.class).returnResult().getResponseBody()).path("id").stringValue();
    }

    private static void assertEvent(JsonNode event, String type, String data) {
        assertThat(event.propertyNames()).containsExactly("id", "type", "data");
        assertThat(event.path("type").stringValue()).isEqualTo(type);
        assertThat(event.path("data").stringValue()).isEqualTo(data);
    }
}
