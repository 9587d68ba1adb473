package rrunner.gateway.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static rrunner.common.testing.Jobs.aSpecOf;
import static rrunner.common.testing.Jobs.aSuccessfulResult;
import static rrunner.common.testing.Jobs.aTrivialSpec;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import rrunner.common.job.JobSpec;
import rrunner.common.job.JobState;
import rrunner.common.queue.ClaimedJob;
import rrunner.common.queue.TenantPolicy;
import rrunner.common.queue.WorkerRegistry.Heartbeat;
import rrunner.common.queue.WorkerRegistry;
import rrunner.gateway.testing.GatewayOnSharedRedis;
import rrunner.gateway.testing.QueueWorkerStub;
import tools.jackson.databind.JsonNode;

/** The queue gauges, {@code GET /queue}, the rejection counter and the run timer, on a real Redis. */
@TestPropertySource(properties = {
        "RUNNER_TOKEN=" + QueueMetricsIT.TOKEN, "MAX_SCRIPT_BYTES=1000", "OPS_POLL_INTERVAL=100ms"})
class QueueMetricsIT extends GatewayOnSharedRedis {

    static final String TOKEN = "ops-token";
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(5);

    @Autowired
    WorkerRegistry workers;
    @Autowired
    MeterRegistry meters;

    @BeforeEach
    void emptyQueue() {
        redis.sync().flushall();
        awaitGauge("rrunner.queue.waiting", 0);
    }

    @Test
    void gaugesAndQueueFollowJobsFromWaitingToRunningToDone() {
        queue.enqueue(aTrivialSpec()).block();
        queue.enqueue(aTrivialSpec()).block();

        awaitGauge("rrunner.queue.waiting", 2);
        JsonNode waiting = queueStatus();
        assertThat(waiting.path("waiting").asLong()).isEqualTo(2);
        assertThat(waiting.path("running").asLong()).isZero();
        assertThat(waiting.path("retrying").asLong()).isZero();
        assertThat(waiting.path("oldest_waiting_seconds").isNumber()).isTrue();
        assertThat(gauge("rrunner.queue.oldest.waiting")).isGreaterThanOrEqualTo(0);

        ClaimedJob first = queue.claim("w1").block();
        awaitGauge("rrunner.queue.running", 1);
        assertThat(gauge("rrunner.queue.waiting")).isEqualTo(1);
        assertThat(queueStatus().path("running").asLong()).isEqualTo(1);

        ClaimedJob second = queue.claim("w1").block();
        queue.finish(first, JobState.SUCCEEDED, aSuccessfulResult("1")).block();
        queue.finish(second, JobState.SUCCEEDED, aSuccessfulResult("2")).block();
        awaitGauge("rrunner.queue.running", 0);
        assertThat(gauge("rrunner.queue.waiting")).isZero();
        assertThat(gauge("rrunner.queue.oldest.waiting")).isZero();
        JsonNode done = queueStatus();
        assertThat(done.path("waiting").asLong()).isZero();
        assertThat(done.path("running").asLong()).isZero();
        assertThat(done.path("oldest_waiting_seconds").asDouble()).isZero();
    }

    @Test
    void tenantGaugesAndQueueShowEachTenantsWaitingAndRunningJobs() {
        queue.enqueue(aSpecOf("acme"), TenantPolicy.UNLIMITED, null).block();
        queue.enqueue(aSpecOf("acme"), TenantPolicy.UNLIMITED, null).block();
        queue.enqueue(aSpecOf("beta"), TenantPolicy.UNLIMITED, null).block();
        ClaimedJob claimed = queue.claim("w1").block();
        String other = claimed.spec().tenant().equals("acme") ? "beta" : "acme";

        await().atMost(WAIT).until(() -> tenantGauge("rrunner.queue.tenant.running", claimed.spec().tenant()) == 1);
        assertThat(tenantGauge("rrunner.queue.tenant.running", other)).isZero();
        assertThat(tenantGauge("rrunner.queue.tenant.waiting", "acme") + tenantGauge("rrunner.queue.tenant.waiting",
                "beta")).isEqualTo(2);
        assertThat(tenantGauge("rrunner.queue.tenant.waiting", JobSpec.DEFAULT_TENANT)).isZero();
        JsonNode tenants = queueStatus().path("tenants");
        assertThat(tenants.valueStream().map(t -> t.path("tenant").stringValue() + ":" + t.path("waiting").asLong()
                + ":" + t.path("running").asLong()))
                .contains(claimed.spec().tenant() + ":" + (claimed.spec().tenant().equals("acme") ? 1 : 0) + ":1",
                        JobSpec.DEFAULT_TENANT + ":0:0");
    }

    @Test
    void aWorkersHeartbeatMakesItLiveInTheGaugeAndTheQueueStatus() {
        Instant started = Instant.parse("2026-01-02T03:04:05Z");
        Instant beat = workers.beat(new Heartbeat("w1", 4, 1, started, "r-base:1", "1.0", Map.of(), 0, 0), HEARTBEAT_INTERVAL)
                .block();

        awaitGauge("rrunner.workers.live", 1);
        JsonNode worker = queueStatus().path("workers").get(0);
        assertThat(worker.path("id").stringValue()).isEqualTo("w1");
        assertThat(Instant.parse(worker.path("last_heartbeat").stringValue())).isEqualTo(beat);
        assertThat(worker.path("concurrency").asInt()).isEqualTo(4);
        assertThat(worker.path("busy").asInt()).isEqualTo(1);
        assertThat(worker.path("free").asInt()).isEqualTo(3);
        assertThat(worker.path("image").stringValue()).isEqualTo("r-base:1");
        assertThat(worker.path("version").stringValue()).isEqualTo("1.0");
        assertThat(Instant.parse(worker.path("started_at").stringValue())).isEqualTo(started);

        workers.remove("w1").block();
        awaitGauge("rrunner.workers.live", 0);
        assertThat(queueStatus().path("workers").isEmpty()).isTrue();
    }

    @Test
    void queueNeedsTheToken() {
        client.get().uri("/queue").exchange().expectStatus().isUnauthorized();
    }

    @Test
    void countsA401AndA413AsRejections() {
        double unauthorized = rejected("unauthorized");
        double tooLarge = rejected("too_large");

        client.post().uri("/run").bodyValue(runBody("cat(1)")).exchange().expectStatus().isUnauthorized();
        run("x".repeat(1001)).expectStatus().isEqualTo(HttpStatus.CONTENT_TOO_LARGE);

        assertThat(rejected("unauthorized")).isEqualTo(unauthorized + 1);
        assertThat(rejected("too_large")).isEqualTo(tooLarge + 1);
    }

    @Test
    void timesRunsByOutcome() {
        try (QueueWorkerStub worker = QueueWorkerStub.finishing(queue, script -> aSuccessfulResult("ok"))) {
            long completed = runs("completed");

            run("cat('ok')").expectStatus().isOk();

            await().atMost(WAIT).until(() -> runs("completed") == completed + 1);
        }
    }

    @Test
    void prometheusExportsTheNamesTheDashboardQueries() {
        run("x".repeat(1001)).expectStatus().isEqualTo(HttpStatus.CONTENT_TOO_LARGE);

        String scrape = client.get().uri("/actuator/prometheus").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();

        assertThat(scrape).contains(
                "\nrrunner_queue_waiting ", "\nrrunner_queue_running ", "\nrrunner_queue_retrying ",
                "\nrrunner_queue_oldest_waiting_seconds ", "\nrrunner_workers_live ",
                "\nrrunner_sessions_active{status=\"ready\"} ",
                "\nrrunner_queue_tenant_waiting{tenant=\"default\"} ",
                "\nrrunner_queue_tenant_running{tenant=\"default\"} ",
                "\nrrunner_requests_rejected_total{reason=\"too_large\"}",
                "\nrrunner_requests_rejected_total{reason=\"queue_full\"} 0",
                "\nrrunner_run_seconds_bucket{", "\nrrunner_run_seconds_count{outcome=\"rejected\"}");
    }

    private WebTestClient.ResponseSpec run(String script) {
        return client.post().uri("/run").header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN)
                .bodyValue(runBody(script)).exchange();
    }

    private JsonNode queueStatus() {
        return JSON.readTree(client.get().uri("/queue").header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN)
                .exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());
    }

    private void awaitGauge(String name, double value) {
        await().atMost(WAIT).until(() -> gauge(name) == value);
    }

    private double gauge(String name) {
        return meters.get(name).gauge().value();
    }

    private double tenantGauge(String name, String tenant) {
        var gauge = meters.find(name).tag("tenant", tenant).gauge();
        return gauge == null ? Double.NaN : gauge.value();
    }

    private double rejected(String reason) {
        return meters.get("rrunner.requests.rejected").tag("reason", reason).counter().count();
    }

    private long runs(String outcome) {
        return meters.find("rrunner.run").tag("outcome", outcome).timers().stream().mapToLong(t -> t.count()).sum();
    }

    private static String runBody(String script) {
        return JSON.writeValueAsString(Map.of("script", script));
    }
}
