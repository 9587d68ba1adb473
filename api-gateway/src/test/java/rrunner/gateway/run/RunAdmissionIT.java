package rrunner.gateway.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import rrunner.common.job.JobId;
import rrunner.common.job.JobRecord;
import rrunner.common.job.JobSpec;
import rrunner.common.job.JobState;
import rrunner.common.job.RunResult;
import rrunner.gateway.testing.GatewayOnSharedRedis;
import rrunner.gateway.testing.QueueWorkerStub;
import tools.jackson.databind.JsonNode;

/**
 * The bounded waits of {@code POST /run}, plain and streamed: a full queue, no worker, a worker that takes a job
 * and never ends it.
 */
@TestPropertySource(properties = {
        "RUNNER_TOKEN=" + RunAdmissionIT.TOKEN, "MAX_QUEUE_DEPTH=2", "RUN_QUEUE_TIMEOUT_SECONDS=1",
        "RUN_TIMEOUT_SECONDS=1", "RUN_RESULT_GRACE_SECONDS=1"})
class RunAdmissionIT extends GatewayOnSharedRedis {

    static final String TOKEN = "admission-token";
    private static final String RUN_BODY = JSON.writeValueAsString(Map.of("script", "cat(1)"));

    @Test
    void answers429WithRetryAfterWhenTheQueueIsFull() {
        JobSpec waiting = new JobSpec("cat(0)", 1, 1, 1);
        queue.enqueue(waiting).then(queue.enqueue(waiting)).block(Duration.ofSeconds(5));

        JsonNode problem = readJson(run().expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
                .expectHeader().valueMatches(HttpHeaders.RETRY_AFTER, "\\d+"));

        assertThat(problem.path("detail").stringValue()).contains("queue is full");
    }

    @Test
    void answers503AndWithdrawsTheJobWhenNoWorkerTakesIt() {
        JsonNode problem = readJson(run().expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectHeader().valueMatches(HttpHeaders.RETRY_AFTER, "\\d+"));

        assertThat(problem.path("detail").stringValue()).startsWith("no worker picked the job up within 1 s");
        JobId id = new JobId(problem.path("job_id").stringValue());
        assertThat(queue.find(id).block(Duration.ofSeconds(5)).state()).isEqualTo(JobState.CANCELLED);
        assertThat(waiters.waiting()).isZero();
    }

    @Test
    void keepsWaitingForAJobAWorkerTookBeforeTheQueueTimeout() {
        try (QueueWorkerStub worker = QueueWorkerStub.finishingAfter(queue, Duration.ofMillis(1500),
                script -> RunResult.ofScript(0, "slow\n", "", List.of()))) {
            JsonNode body = readJson(run().expectStatus().isOk());

            assertThat(body.path("stdout").stringValue()).isEqualTo("slow\n");
        }
    }

    @Test
    void answers504WhenATakenJobNeverFinishes() {
        try (QueueWorkerStub worker = QueueWorkerStub.claimingOnly(queue)) {
            JsonNode problem = readJson(run().expectStatus().isEqualTo(HttpStatus.GATEWAY_TIMEOUT));

            assertThat(problem.path("detail").stringValue()).startsWith("no result within 2 s");
        }
        assertThat(waiters.waiting()).isZero();
    }

    /** The worker stub never ends it, so only the gateway can have asked for the cancel. */
    @Test
    void cancelsTheRunningJobItAnswered504For() {
        try (QueueWorkerStub worker = QueueWorkerStub.claimingOnly(queue)) {
            JsonNode problem = readJson(run().expectStatus().isEqualTo(HttpStatus.GATEWAY_TIMEOUT));

            assertCancelRequested(new JobId(problem.path("job_id").stringValue()));
        }
    }

    @Test
    void cancelsTheRunningJobOfAStreamedRunThatEndedWithAnErrorEvent() {
        try (QueueWorkerStub worker = QueueWorkerStub.claimingOnly(queue)) {
            List<JsonNode> events = streamedRun();

            JsonNode last = events.get(events.size() - 1);
            assertThat(last.path("type").stringValue()).isEqualTo("error");
            assertCancelRequested(new JobId(last.path("job_id").stringValue()));
        }
    }

    @Test
    void endsAStreamedRunWithStatusCancelledWhenNoWorkerTakesIt() {
        List<JsonNode> events = streamedRun();

        assertThat(events).extracting(event -> event.path("type").stringValue()).containsExactly("queued", "result");
        assertThat(events.get(1).path("status").stringValue()).isEqualTo("cancelled");
        assertThat(events.get(1).path("result").isNull()).isTrue();
    }

    @Test
    void endsAStreamedRunWithAnErrorEventWhenATakenJobNeverFinishes() {
        try (QueueWorkerStub worker = QueueWorkerStub.claimingOnly(queue)) {
            List<JsonNode> events = streamedRun();

            JsonNode last = events.get(events.size() - 1);
            assertThat(last.path("type").stringValue()).isEqualTo("error");
            assertThat(last.path("status").intValue()).isEqualTo(504);
            assertThat(last.path("detail").stringValue()).startsWith("no result within 2 s");
            assertThat(JobId.isWellFormed(last.path("job_id").stringValue())).isTrue();
        }
        assertThat(waiters.waiting()).isZero();
    }

    private void assertCancelRequested(JobId id) {
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            JobRecord job = queue.find(id).block(Duration.ofSeconds(5));
            assertThat(job.state()).isEqualTo(JobState.RUNNING);
            assertThat(job.cancelRequested()).as("cancel requested").isTrue();
        });
    }

    private List<JsonNode> streamedRun() {
        return client.post().uri("/run").header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN)
                .accept(MediaType.APPLICATION_NDJSON).bodyValue(RUN_BODY).exchange()
                .expectStatus().isOk()
                .returnResult(String.class).getResponseBody()
                .map(JSON::readTree)
                .collectList()
                .block(Duration.ofSeconds(20));
    }

    private WebTestClient.ResponseSpec run() {
        return client.post().uri("/run").header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN)
                .bodyValue(RUN_BODY).exchange();
    }

    private static JsonNode readJson(WebTestClient.ResponseSpec response) {
        return JSON.readTree(response.expectBody(String.class).returnResult().getResponseBody());
    }
}
