package rrunner.gateway.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import reactor.test.StepVerifier;
import rrunner.common.job.RunResult;
import rrunner.common.queue.ClaimedJob;
import rrunner.common.queue.LeaseStatus;
import rrunner.gateway.testing.GatewayOnSharedRedis;
import rrunner.gateway.testing.HandDrivenWorker;
import tools.jackson.databind.JsonNode;

/**
 * The job settings at other values than their defaults: a short {@code RESULT_TTL}, {@code JOBS_MAX_WAIT_SECONDS}
 * of 1 and {@code RUN_CANCEL_ON_DISCONNECT=false}.
 */
@TestPropertySource(properties = {
        "RUNNER_TOKEN=" + JobsSettingsIT.TOKEN, "RESULT_TTL=2s", "JOBS_MAX_WAIT_SECONDS=1",
        "RUN_CANCEL_ON_DISCONNECT=false"})
class JobsSettingsIT extends GatewayOnSharedRedis {

    static final String TOKEN = "settings-token";
    private static final String BODY = JSON.writeValueAsString(Map.of("script", "cat(1)"));

    HandDrivenWorker worker;

    @BeforeEach
    void newWorker() {
        worker = new HandDrivenWorker(queue);
    }

    @Test
    void answers404EverywhereOnceAFinishedJobOutlivedResultTtl() {
        String id = submittedId();
        worker.finishes(worker.takeJob(), RunResult.ofScript(0, "1", "", List.of()));
        get("/jobs/" + id).expectStatus().isOk();

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250))
                .until(() -> get("/jobs/" + id).returnResult(String.class).getStatus() == HttpStatus.NOT_FOUND);
        get("/jobs/" + id + "/events").expectStatus().isNotFound();
        client.delete().uri("/jobs/" + id).header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN).exchange()
                .expectStatus().isNotFound();
    }

    @Test
    void cutsALongPollToJobsMaxWaitSeconds() {
        String id = submittedId();

        StepVerifier.create(WebClient.create("http://localhost:" + port).get().uri("/jobs/{id}?wait=600", id)
                        .header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN)
                        .retrieve().bodyToMono(JsonNode.class))
                .assertNext(job -> assertThat(job.path("status").stringValue()).isEqualTo("queued"))
                .expectComplete()
                .verify(Duration.ofSeconds(15));
    }

    /** The gateway asks Redis to stop the job (or not) before it drops the waiter, on the connection used here. */
    @Test
    void leavesARunningJobRunningWhenItsCallerDisconnects() {
        Disposable call = WebClient.create("http://localhost:" + port).post().uri("/run")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN).bodyValue(BODY)
                .retrieve().toBodilessEntity().subscribe();
        ClaimedJob job = worker.takeJob();
        await().atMost(Duration.ofSeconds(5)).until(() -> waiters.waiting() == 1);

        call.dispose();

        await().atMost(Duration.ofSeconds(5)).until(() -> waiters.waiting() == 0);
        assertThat(worker.renews(job)).isEqualTo(LeaseStatus.HELD);
    }

    private String submittedId() {
        return JSON.readTree(client.post().uri("/jobs").header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN)
                .bodyValue(BODY).exchange().expectStatus().isAccepted()
                .expectBody(String.class).returnResult().getResponseBody()).path("id").stringValue();
    }

    private WebTestClient.ResponseSpec get(String path) {
        return client.get().uri(path).header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN).exchange();
    }
}
