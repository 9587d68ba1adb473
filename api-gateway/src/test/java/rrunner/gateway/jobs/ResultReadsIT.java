package rrunner.gateway.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import rrunner.common.job.JobId;
import rrunner.common.job.JobRecord;
import rrunner.common.job.JobSpec;
import rrunner.common.job.RunResult;
import rrunner.common.queue.ClaimedJob;
import rrunner.gateway.testing.GatewayOnSharedRedis;
import rrunner.gateway.testing.HandDrivenWorker;
import tools.jackson.databind.JsonNode;

/**
 * A result can be megabytes, so the gateway reads it only to return it: reads that answer with a job's state fetch
 * every field but the result. Measured by what Redis itself sent ({@code total_net_output_bytes}), which counts
 * every reply on every connection.
 */
@TestPropertySource(properties = "RUNNER_TOKEN=" + ResultReadsIT.TOKEN)
class ResultReadsIT extends GatewayOnSharedRedis {

    static final String TOKEN = "result-reads-token";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int RESULT_BYTES = 1_000_000;
    private static final RunResult LARGE = RunResult.ofScript(0, "x".repeat(RESULT_BYTES), "", List.of());
    /** Far above the few hundred bytes of a state read or an INFO reply, far below one result. */
    private static final long WITHOUT_A_RESULT = RESULT_BYTES / 4;
    /** Room for a result in one response body or NDJSON line (the clients' default is 256 KiB). */
    private static final int CLIENT_BUFFER_BYTES = 4 * RESULT_BYTES;

    HandDrivenWorker worker;

    @BeforeEach
    void newWorker() {
        worker = new HandDrivenWorker(queue);
    }

    @Test
    void answers204ToAClientThatSawTheLastEventWithoutReadingTheResult() {
        JobId id = finishedJobWithALargeResult();
        String lastEventId = queue.events(id, null).last().block(WAIT).id();
        long before = bytesRedisSent();

        client.get().uri("/jobs/{id}/events", id.value()).header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN)
                .header("Last-Event-ID", lastEventId).exchange()
                .expectStatus().isNoContent();

        assertThat(bytesRedisSent() - before).isLessThan(WITHOUT_A_RESULT);
    }

    /** The stream's result event reads it; waiting for the run's end must not read it again only to drop it. */
    @Test
    void readsTheResultOfAStreamedRunOnce() {
        long[] before = new long[1];
        ClaimedJob[] job = new ClaimedJob[1];

        StepVerifier.create(streamedRun())
                .assertNext(event -> assertThat(event.path("type").stringValue()).isEqualTo("queued"))
                .then(() -> job[0] = worker.takeJob())
                .assertNext(event -> assertThat(event.path("type").stringValue()).isEqualTo("started"))
                .then(() -> before[0] = bytesRedisSent())
                .then(() -> worker.finishes(job[0], LARGE))
                .assertNext(event -> assertThat(event.path("result").path("stdout").stringValue())
                        .hasSize(RESULT_BYTES))
                .expectComplete()
                .verify(WAIT);
        // why: the run's own waiter reads the finished job too; once it is gone, its read is over
        await().atMost(WAIT).until(() -> waiters.waiting() == 0);

        assertThat(bytesRedisSent() - before[0]).isBetween((long) RESULT_BYTES, RESULT_BYTES + WITHOUT_A_RESULT);
    }

    private JobId finishedJobWithALargeResult() {
        JobRecord queued = queue.enqueue(new JobSpec("cat(strrep('x', 1e6))", 30, 10, 1000)).block(WAIT);
        worker.finishes(worker.takeJob(), LARGE);
        return queued.id();
    }

    private Flux<JsonNode> streamedRun() {
        return WebClient.builder().baseUrl("http://localhost:" + port)
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(CLIENT_BUFFER_BYTES)).build()
                .post().uri("/run")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN).accept(MediaType.APPLICATION_NDJSON)
                .bodyValue(JSON.writeValueAsString(Map.of("script", "cat(strrep('x', 1e6))")))
                .retrieve().bodyToFlux(String.class).map(JSON::readTree)
                // why: StepVerifier runs a step's task on the thread of the signal before it; the worker blocks
                .publishOn(Schedulers.boundedElastic());
    }

    private long bytesRedisSent() {
        return redis.sync().info("stats").lines()
                .filter(line -> line.startsWith("total_net_output_bytes:"))
                .map(line -> Long.parseLong(line.substring(line.indexOf(':') + 1).strip()))
                .findFirst()
                .orElseThrow();
    }
}
