package rrunner.gateway.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import rrunner.common.job.Artifact;
import rrunner.common.job.RunResult;
import rrunner.common.queue.ClaimedJob;
import rrunner.common.queue.LeaseStatus;
import rrunner.gateway.testing.GatewayOnSharedRedis;
import rrunner.gateway.testing.HandDrivenWorker;
import tools.jackson.databind.JsonNode;

/**
 * Submit, poll, long-poll and cancel through {@code /jobs}, with the test playing the worker step by step, and the
 * job API's OpenAPI document. One class rather than several because each IT class starts its own Redis and app.
 */
@TestPropertySource(properties = "RUNNER_TOKEN=" + JobsEndpointIT.TOKEN)
class JobsEndpointIT extends GatewayOnSharedRedis {

    static final String TOKEN = "jobs-token";
    private static final String BODY = JSON.writeValueAsString(Map.of("script", "cat(1)"));
    private static final RunResult RESULT =
            RunResult.ofScript(0, "1", "", List.of(Artifact.of("a.txt", new byte[] {'a'})));

    @Autowired
    RedisClient redisClient;

    HandDrivenWorker worker;

    @BeforeEach
    void newWorker() {
        worker = new HandDrivenWorker(queue);
    }

    @Test
    void submitsAJobAndPollsItUntilItHasTheResult() {
        WebTestClient.ResponseSpec submitted = submit().expectStatus().isAccepted();
        JsonNode queued = readJson(submitted);
        String id = queued.path("id").stringValue();
        submitted.expectHeader().location("/jobs/" + id);
        assertThat(queued.propertyNames()).containsExactly("id", "status", "created_at", "started_at",
                "finished_at", "attempt", "max_attempts", "result", "errors", "environment", "limits", "input_files",
                "webhook");
        assertThat(queued.path("status").stringValue()).isEqualTo("queued");
        assertThat(queued.path("webhook").isNull()).isTrue();
        assertThat(Instant.parse(queued.path("created_at").stringValue())).isBefore(Instant.now().plusSeconds(5));
        assertThat(queued.path("started_at").isNull()).isTrue();
        assertThat(queued.path("result").isNull()).isTrue();
        assertThat(queued.path("errors").isEmpty()).isTrue();

        ClaimedJob job = worker.takeJob();
        assertThat(getJson("/jobs/" + id).path("status").stringValue()).isEqualTo("running");
        worker.finishes(job, RESULT);

        JsonNode finished = getJson("/jobs/" + id);
        assertThat(finished.path("status").stringValue()).isEqualTo("succeeded");
        assertThat(finished.path("attempt").intValue()).isEqualTo(1);
        assertThat(Instant.parse(finished.path("started_at").stringValue()))
                .isBeforeOrEqualTo(Instant.parse(finished.path("finished_at").stringValue()));
        assertThat(JSON.treeToValue(finished.path("result"), RunResult.class)).isEqualTo(RESULT);
    }

    @Test
    void longPollAnswersAsSoonAsTheJobFinishes() {
        String id = submittedId();
        Mono<JsonNode> poll = WebClient.create("http://localhost:" + port).get().uri("/jobs/{id}?wait=60", id)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN)
                .retrieve().bodyToMono(JsonNode.class)
                .publishOn(Schedulers.boundedElastic());

        Duration took = StepVerifier.create(poll)
                .then(() -> await().atMost(Duration.ofSeconds(10)).until(() -> waiters.waiting() == 1))
                .then(() -> worker.finishes(worker.takeJob(), RESULT))
                .assertNext(job -> assertThat(job.path("status").stringValue()).isEqualTo("succeeded"))
                .expectComplete()
                .verify(Duration.ofSeconds(20));

        assertThat(took).isLessThan(Duration.ofSeconds(20));
        assertThat(waiters.waiting()).isZero();
    }

    @Test
    void longPollAnswersWithTheCurrentStateWhenTheWaitEnds() {
        String id = submittedId();

        assertThat(getJson("/jobs/" + id + "?wait=1").path("status").stringValue()).isEqualTo("queued");
        assertThat(waiters.waiting()).isZero();
    }

    @Test
    void refusesAWaitThatIsNotANonNegativeNumber() {
        String id = submittedId();

        get("/jobs/" + id + "?wait=-1").expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        get("/jobs/" + id + "?wait=soon").expectStatus().isBadRequest();
    }

    @Test
    void cancelsAQueuedJobAtOnceSoNoWorkerEverGetsIt() {
        String id = submittedId();

        JsonNode cancelled = readJson(delete("/jobs/" + id).expectStatus().isOk());

        assertThat(cancelled.path("status").stringValue()).isEqualTo("cancelled");
        assertThat(cancelled.path("finished_at").isNull()).isFalse();
        assertThat(worker.tryTake()).isEmpty();
        assertThat(getJson("/jobs/" + id).path("status").stringValue()).isEqualTo("cancelled");
    }

    @Test
    void cancelsARunningJobThroughItsWorker() {
        List<String> cancellations = new CopyOnWriteArrayList<>();
        try (StatefulRedisPubSubConnection<String, String> pubsub = subscribe(queue.keys().cancellations(),
                cancellations)) {
            String id = submittedId();
            ClaimedJob job = worker.takeJob();

            JsonNode cancelling = readJson(delete("/jobs/" + id).expectStatus().isAccepted());

            assertThat(cancelling.path("status").stringValue()).isEqualTo("cancelling");
            assertThat(worker.renews(job)).isEqualTo(LeaseStatus.CANCEL_REQUESTED);
            await().atMost(Duration.ofSeconds(5)).until(() -> cancellations.contains(id));
            worker.endsCancelled(job);
            JsonNode cancelled = getJson("/jobs/" + id);
            assertThat(cancelled.path("status").stringValue()).isEqualTo("cancelled");
            assertThat(cancelled.path("result").isNull()).isTrue();
        }
    }

    @Test
    void answers409ToACancelOfAFinishedJob() {
        String id = submittedId();
        worker.finishes(worker.takeJob(), RESULT);

        JsonNode problem = readJson(delete("/jobs/" + id).expectStatus().isEqualTo(HttpStatus.CONFLICT)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON));

        assertThat(problem.path("job_status").stringValue()).isEqualTo("succeeded");
        assertThat(getJson("/jobs/" + id).path("status").stringValue()).isEqualTo("succeeded");
    }

    @Test
    void answers404ProblemsForUnknownAndMalformedIds() {
        for (String id : List.of("0b7e3c1a-5d2f-4f8e-9a61-3c2d1e0f9b8a", "not-a-job", "..%2F..%2Fetc")) {
            get("/jobs/" + id).expectStatus().isNotFound()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
            get("/jobs/" + id + "/events").expectStatus().isNotFound();
            delete("/jobs/" + id).expectStatus().isNotFound();
        }
    }

    @Test
    void refusesABodyThatIsNotAScriptAsRunDoes() {
        client.post().uri("/jobs").header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN)
                .bodyValue("{\"code\": \"cat(1)\"}").exchange()
                .expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT);

        assertThat(redis.sync().llen(queue.keys().waiting())).isZero();
    }

    @Test
    void requiresTheTokenOnEveryJobEndpoint() {
        String id = submittedId();

        client.post().uri("/jobs").bodyValue(BODY).exchange().expectStatus().isUnauthorized();
        client.get().uri("/jobs/" + id).exchange().expectStatus().isUnauthorized();
        client.get().uri("/jobs/" + id + "/events").exchange().expectStatus().isUnauthorized();
        client.delete().uri("/jobs/" + id).header(HttpHeaders.AUTHORIZATION, "Bearer wrong").exchange()
                .expectStatus().isUnauthorized();
        assertThat(getJson("/jobs/" + id).path("status").stringValue()).isEqualTo("queued");
    }

    @Test
    void indexListsTheJobEndpoints() {
        JsonNode index = JSON.readTree(client.get().uri("/").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());

        assertThat(index.path("endpoints").values()).extracting(JsonNode::stringValue)
                .contains("POST /run", "POST /jobs", "GET /jobs/{id}", "DELETE /jobs/{id}", "GET /jobs/{id}/events");
    }

    @Test
    void documentsEveryJobOperationAndItsAnswersInOpenApi() {
        JsonNode api = JSON.readTree(client.get().uri("/openapi.json").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());
        JsonNode paths = api.path("paths");

        assertOperation(paths.path("/jobs").path("post"), "202", "400", "401", "403", "413", "422", "429", "503");
        assertOperation(paths.path("/jobs/{id}").path("get"), "200", "400", "401", "404");
        assertOperation(paths.path("/jobs/{id}").path("delete"), "200", "202", "401", "404", "409");
        assertOperation(paths.path("/jobs/{id}/events").path("get"), "200", "204", "400", "401", "404");
        assertThat(paths.path("/jobs").path("post").path("responses").path("202").path("headers").has("Location"))
                .isTrue();
        assertThat(paths.path("/jobs/{id}").path("get").path("parameters").values())
                .extracting(parameter -> parameter.path("name").stringValue()).containsExactly("id", "wait");
        assertThat(paths.path("/jobs/{id}/events").path("get").path("responses").path("200").path("content")
                .propertyNames()).containsExactly("application/x-ndjson", "text/event-stream");
        assertThat(paths.path("/run").path("post").path("responses").path("200").path("content").propertyNames())
                .containsExactly("application/json", "application/x-ndjson", "text/event-stream");
        JsonNode schemas = api.path("components").path("schemas");
        assertThat(schemas.propertyNames()).contains("Job", "AttemptError", "JobEvent", "RunEvent",
                "ProgressEvent", "ResultEvent", "ErrorEvent");
        assertThat(schemas.path("Job").path("properties").propertyNames())
                .containsExactlyElementsOf(readJson(submit().expectStatus().isAccepted()).propertyNames());
    }

    private static void assertOperation(JsonNode operation, String... statuses) {
        assertThat(operation.path("security").get(0).has("bearerAuth")).isTrue();
        assertThat(operation.path("responses").propertyNames()).containsExactlyInAnyOrder(statuses);
    }

    private StatefulRedisPubSubConnection<String, String> subscribe(String channel, List<String> messages) {
        StatefulRedisPubSubConnection<String, String> pubsub = redisClient.connectPubSub();
        pubsub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String fromChannel, String message) {
                messages.add(message);
            }
        });
        pubsub.sync().subscribe(channel);
        return pubsub;
    }

    private String submittedId() {
        return readJson(submit().expectStatus().isAccepted()).path("id").stringValue();
    }

    private WebTestClient.ResponseSpec submit() {
        return client.post().uri("/jobs").header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(BODY).exchange();
    }

    private WebTestClient.ResponseSpec get(String path) {
        return client.get().uri(path).header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN).exchange();
    }

    private WebTestClient.ResponseSpec delete(String path) {
        return client.delete().uri(path).header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN).exchange();
    }

    private JsonNode getJson(String path) {
        return readJson(get(path).expectStatus().isOk());
    }

    private static JsonNode readJson(WebTestClient.ResponseSpec response) {
        return JSON.readTree(response.expectBody(String.class).returnResult().getResponseBody());
    }
}
