package rrunner.gateway.run;

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
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import rrunner.common.event.JobEventType;
import rrunner.common.job.RunResult;
import rrunner.common.queue.ClaimedJob;
import rrunner.common.queue.LeaseStatus;
import rrunner.gateway.stream.JobEventListeners;
import rrunner.gateway.testing.GatewayOnSharedRedis;
import rrunner.gateway.testing.HandDrivenWorker;
import rrunner.gateway.testing.QueueWorkerStub;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /run} streaming its job's events when asked to, and taking its job along when the caller goes away
 * ({@code RUN_CANCEL_ON_DISCONNECT} on, its default).
 */
@TestPropertySource(properties = "RUNNER_TOKEN=" + RunStreamingIT.TOKEN)
class RunStreamingIT extends GatewayOnSharedRedis {

    static final String TOKEN = "streaming-token";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String BODY = JSON.writeValueAsString(Map.of("script", "cat('hi')"));
    private static final RunResult RESULT = RunResult.ofScript(0, "hi\n", "", List.of());

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
    void leavesNoWaiterOrListenerBehind() {
        await().atMost(Duration.ofSeconds(5)).until(() -> waiters.waiting() == 0 && listeners.following() == 0);
    }

    @Test
    void streamsARunAsNdjsonWhileItRunsEndingWithTheResult() {
        ClaimedJob[] job = new ClaimedJob[1];

        StepVerifier.create(ndjsonRun())
                .assertNext(event -> assertThat(event.path("type").stringValue()).isEqualTo("queued"))
                .then(() -> job[0] = worker.takeJob())
                .assertNext(event -> assertThat(event.path("type").stringValue()).isEqualTo("started"))
                .then(() -> worker.prints(job[0], JobEventType.STDOUT, "hi\n"))
                .assertNext(event -> assertThat(event.path("data").stringValue()).isEqualTo("hi\n"))
                .then(() -> worker.finishes(job[0], RESULT))
                .assertNext(event -> {
                    assertThat(event.path("type").stringValue()).isEqualTo("result");
                    assertThat(event.path("status").stringValue()).isEqualTo("succeeded");
                    assertThat(JSON.treeToValue(event.path("result"), RunResult.class)).isEqualTo(RESULT);
                })
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void streamsARunAsServerSentEvents() {
        Flux<ServerSentEvent<String>> run = web.post().uri("/run").accept(MediaType.TEXT_EVENT_STREAM)
                .bodyValue(BODY).retrieve().bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<String>>() {
                })
                .publishOn(Schedulers.boundedElastic());

        StepVerifier.create(run)
                .assertNext(event -> assertThat(event.event()).isEqualTo("queued"))
                .then(() -> worker.finishes(worker.takeJob(), RESULT))
                .assertNext(event -> assertThat(event.event()).isEqualTo("started"))
                .assertNext(event -> {
                    assertThat(event.event()).isEqualTo("result");
                    assertThat(JSON.readTree(event.data()).path("result").path("stdout").stringValue())
                            .isEqualTo("hi\n");
                })
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void answersPlainJsonWhenTheClientPrefersJsonToAStream() {
        try (QueueWorkerStub stub = QueueWorkerStub.finishing(queue, script -> RESULT)) {
            client.post().uri("/run").header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN)
                    .header(HttpHeaders.ACCEPT, "application/json, application/x-ndjson;q=0.5")
                    .bodyValue(BODY).exchange()
                    .expectStatus().isOk()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                    .expectHeader().exists("Server-Timing")
                    .expectBody(RunResult.class).isEqualTo(RESULT);
        }
    }

    @Test
    void refusesABadBodyWithAProblemBeforeAnyStream() {
        client.post().uri("/run").header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN)
                .accept(MediaType.APPLICATION_NDJSON).bodyValue("{\"code\": 1}").exchange()
                .expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    /** A client generated from the document sends every answer type /run lists, JSON first. */
    @Test
    void refusesWithProblemJsonWhenTheClientAcceptsEveryAnswerType() {
        client.post().uri("/run").header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN)
                .header(HttpHeaders.ACCEPT, "application/json, application/x-ndjson, text/event-stream, "
                        + "application/problem+json")
                .bodyValue("{\"script\": \"1\", \"environment\": \"r-fancy\"}").exchange()
                .expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void cancelsTheRunningJobWhenAWaitingCallerDisconnects() {
        Disposable call = web.post().uri("/run").bodyValue(BODY).retrieve().toBodilessEntity().subscribe();
        ClaimedJob job = worker.takeJob();
        await().atMost(Duration.ofSeconds(5)).until(() -> waiters.waiting() == 1);

        call.dispose();

        await().atMost(Duration.ofSeconds(5)).until(() -> worker.renews(job) == LeaseStatus.CANCEL_REQUESTED);
        worker.endsCancelled(job);
    }

    @Test
    void cancelsTheRunningJobWhenAStreamingCallerDisconnects() {
        ClaimedJob[] job = new ClaimedJob[1];

        StepVerifier.create(ndjsonRun())
                .assertNext(event -> assertThat(event.path("type").stringValue()).isEqualTo("queued"))
                .then(() -> job[0] = worker.takeJob())
                .assertNext(event -> assertThat(event.path("type").stringValue()).isEqualTo("started"))
                .thenCancel()
                .verify(WAIT);

        await().atMost(Duration.ofSeconds(5)).until(() -> worker.renews(job[0]) == LeaseStatus.CANCEL_REQUESTED);
        worker.endsCancelled(job[0]);
    }

    private Flux<JsonNode> ndjsonRun() {
        return web.post().uri("/run").accept(MediaType.APPLICATION_NDJSON).bodyValue(BODY)
                .retrieve().bodyToFlux(String.class).map(JSON::readTree)
                // why: StepVerifier runs a step's task on the thread of the signal before it; off the event loop
                // the task may block, as the hand-driven worker does
                .publishOn(Schedulers.boundedElastic());
    }
}
