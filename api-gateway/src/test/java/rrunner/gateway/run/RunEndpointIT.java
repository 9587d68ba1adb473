package rrunner.gateway.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import rrunner.common.job.Artifact;
import rrunner.common.job.JobId;
import rrunner.common.job.JobRecord;
import rrunner.common.job.JobSpec;
import rrunner.common.job.JobState;
import rrunner.common.job.RunResult;
import rrunner.gateway.problem.ProblemType;
import rrunner.gateway.testing.GatewayOnSharedRedis;
import rrunner.gateway.testing.HandDrivenWorker;
import rrunner.gateway.testing.QueueWorkerStub;
import tools.jackson.databind.JsonNode;

/** {@code POST /run} answered by a stub worker through the real queue: how each way a job ends reaches HTTP. */
@TestPropertySource(properties = "RUNNER_TOKEN=" + RunEndpointIT.TOKEN)
class RunEndpointIT extends GatewayOnSharedRedis {

    static final String TOKEN = "it-token";
    private static final String SERVER_TIMING = "Server-Timing";
    /** A duration in milliseconds as the header writes it. */
    private static final String MS = "\\d+\\.\\d";

    @Test
    void answersWithTheContractFieldsInContractOrder() {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2};
        RunResult result = RunResult.ofScript(0, "[1] 2\n", "a message\n",
                List.of(Artifact.of("table.csv", "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8)),
                        Artifact.of("plot.png", png)));
        try (QueueWorkerStub worker = QueueWorkerStub.finishing(queue, script -> result)) {
            JsonNode body = readJson(run("print(1 + 1)").expectStatus().isOk()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON));

            assertThat(body.propertyNames())
                    .containsExactly("success", "exit_code", "stdout", "stderr", "runtime_stderr", "artifacts");
            assertThat(body.path("success").booleanValue()).isTrue();
            assertThat(body.path("exit_code").intValue()).isZero();
            assertThat(body.path("stdout").stringValue()).isEqualTo("[1] 2\n");
            assertThat(body.path("stderr").stringValue()).isEqualTo("a message\n");
            assertThat(body.path("runtime_stderr").stringValue()).isEmpty();
            JsonNode csv = body.path("artifacts").get(0);
            assertThat(csv.propertyNames()).containsExactly("filename", "mime_type", "encoding", "content");
            assertThat(csv.path("encoding").stringValue()).isEqualTo("utf-8");
            assertThat(csv.path("content").stringValue()).isEqualTo("a,b\n1,2\n");
            assertThat(body.path("artifacts").get(1).path("encoding").stringValue()).isEqualTo("base64");
        }
    }

    @Test
    void answers200WithSuccessFalseWhenTheScriptFails() {
        try (QueueWorkerStub worker = QueueWorkerStub.finishing(queue,
                script -> RunResult.ofScript(3, "", "Error: boom\n", List.of()))) {
            JsonNode body = readJson(run("quit(status = 3)").expectStatus().isOk());

            assertThat(body.path("success").booleanValue()).isFalse();
            assertThat(body.path("exit_code").intValue()).isEqualTo(3);
            assertThat(body.path("stderr").stringValue()).isEqualTo("Error: boom\n");
        }
    }

    @Test
    void answers408WithPartialOutputWhenTheScriptTimesOut() {
        RunResult partial = RunResult.ofScript(137, "step 1\n", "", List.of());
        try (QueueWorkerStub worker = QueueWorkerStub.timingOut(queue, partial)) {
            JsonNode problem = readJson(run("Sys.sleep(60)").expectStatus().isEqualTo(HttpStatus.REQUEST_TIMEOUT)
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectHeader().value(SERVER_TIMING, timing -> assertThat(timing).contains("run;dur=310.2")));

            assertThat(problem.path("type").stringValue()).isEqualTo(ProblemType.TIMED_OUT.uri().toString());
            assertThat(problem.path("detail").stringValue()).contains("limits.timeout_seconds: 30 s");
            assertThat(problem.path("timeout_seconds").intValue()).isEqualTo(30);
            assertThat(problem.path("stdout").stringValue()).isEqualTo("step 1\n");
            assertThat(problem.path("job_id").stringValue()).isNotEmpty();
        }
    }

    @Test
    void answersWithServerTimingForTheQueueEachWorkerPhaseAndTheTotal() {
        try (QueueWorkerStub worker = QueueWorkerStub.finishing(queue, script -> RunResult.ofScript(0, "1", "",
                List.of()))) {
            run("cat(1)").expectStatus().isOk().expectHeader().value(SERVER_TIMING, timing -> assertThat(timing)
                    .matches("queue;dur=" + MS + ", acquire;dur=4\\.0;desc=\"warm\", run;dur=310\\.2, "
                            + "collect;dur=41\\.0, total;dur=" + MS));
        }
    }

    @Test
    void leavesTheWorkerPhasesOutOfServerTimingWhenTheJobHasNoTimings() throws Exception {
        HandDrivenWorker worker = new HandDrivenWorker(queue);
        CompletableFuture<ResponseEntity<String>> answer = WebClient.create("http://localhost:" + port).post()
                .uri("/run").header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN).bodyValue(json("cat(1)"))
                .retrieve().toEntity(String.class).toFuture();

        worker.finishes(worker.takeJob(), RunResult.ofScript(0, "1", "", List.of()));

        assertThat(answer.get(20, TimeUnit.SECONDS).getHeaders().getFirst(SERVER_TIMING))
                .matches("queue;dur=" + MS + ", total;dur=" + MS);
    }

    @Test
    void timesARefusedRunWithItsTotalOnly() {
        runRaw("{\"code\": 1}").expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
                .expectHeader().value(SERVER_TIMING, timing -> assertThat(timing).matches("total;dur=" + MS));
    }

    @Test
    void acceptsJsonSentWithAFormContentTypeAsCurlDashDDoes() {
        try (QueueWorkerStub worker = QueueWorkerStub.finishing(queue, script -> RunResult.ofScript(0, script, "",
                List.of()))) {
            JsonNode body = readJson(client.post().uri("/run").header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN)
                    .contentType(MediaType.APPLICATION_FORM_URLENCODED).bodyValue(json("cat('form')")).exchange()
                    .expectStatus().isOk());

            assertThat(body.path("stdout").stringValue()).isEqualTo("cat('form')");
        }
    }

    /** All runs wait at once (the worker starts only then), each for its own job, on one subscription. */
    @Test
    void answersManyConcurrentRunsEachWithItsOwnResultAndLeavesNoWaiterBehind() throws Exception {
        int runs = 200;
        ConnectionProvider connections = ConnectionProvider.builder("concurrent-runs").maxConnections(runs).build();
        try {
            WebClient web = WebClient.builder().baseUrl("http://localhost:" + port)
                    .clientConnector(new ReactorClientHttpConnector(HttpClient.create(connections)))
                    .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN)
                    .build();
            CompletableFuture<List<String>> answers = Flux.range(0, runs)
                    .flatMap(i -> web.post().uri("/run").bodyValue(json("cat(" + i + ")"))
                            .retrieve().bodyToMono(RunResult.class)
                            .map(result -> result.stdout() + " for " + i), runs)
                    .collectList()
                    .toFuture();
            await().atMost(Duration.ofSeconds(20)).until(() -> waiters.waiting() == runs);

            try (QueueWorkerStub worker = QueueWorkerStub.finishing(queue,
                    script -> RunResult.ofScript(0, "echo " + script, "", List.of()))) {
                assertThat(answers.get(60, TimeUnit.SECONDS)).hasSize(runs)
                        .allSatisfy(line -> assertThat(line).matches("echo cat\\((\\d+)\\) for \\1"));
            }
        } finally {
            connections.dispose();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> waiters.waiting() == 0);
    }

    @Test
    void withdrawsTheQueuedJobWhenTheCallerGoesAway() {
        Disposable call = WebClient.create("http://localhost:" + port).post().uri("/run")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN).bodyValue(json("cat(1)"))
                .retrieve().toBodilessEntity().subscribe();
        String line = queue.keys().tenantLine(JobSpec.DEFAULT_TENANT);
        await().atMost(Duration.ofSeconds(5)).until(() -> redis.sync().llen(line) == 1);
        JobId id = new JobId(redis.sync().lindex(line, 0));

        call.dispose();

        await().atMost(Duration.ofSeconds(5))
                .until(() -> queue.find(id).map(JobRecord::state).block() == JobState.CANCELLED);
        assertThat(redis.sync().llen(line)).isZero();
        assertThat(redis.sync().llen(queue.keys().waiting())).isZero();
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
