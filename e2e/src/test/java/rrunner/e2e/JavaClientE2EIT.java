package rrunner.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import rrunner.client.ApiClient;
import rrunner.client.ApiException;
import rrunner.client.api.JobsApi;
import rrunner.client.api.RunApi;
import rrunner.client.model.Job;
import rrunner.client.model.ProblemDetail;
import rrunner.client.model.RunRequest;
import rrunner.client.model.RunResult;
import rrunner.common.testing.RedisTestContainer;
import rrunner.gateway.problem.ProblemType;

/**
 * The Java client generated from clients/openapi.json, used as a caller would against a real gateway and worker:
 * what the document promises must be what the service answers, or the generated code fails to read it. A second
 * gateway with no worker and a queue of one makes the 429 real.
 */
@Testcontainers
class JavaClientE2EIT {

    private static final String TOKEN = "java-client-" + System.nanoTime();
    private static final int MAX_SCRIPT_BYTES = 10_000;

    @Container
    static final GenericContainer<?> REDIS = RedisTestContainer.create();

    private static AppProcess gateway;
    private static AppProcess worker;
    private static AppProcess fullGateway;
    private static String baseUrl;
    private static String fullBaseUrl;

    @BeforeAll
    static void startApps() {
        int port = Env.freePort();
        int fullPort = Env.freePort();
        baseUrl = "http://localhost:" + port;
        fullBaseUrl = "http://localhost:" + fullPort;
        Map<String, String> shared = Map.of("REDIS_URL", RedisTestContainer.url(REDIS), "REDIS_KEY_PREFIX", "java");
        worker = AppProcess.start("worker", "rrunner.workerJar", Env.merge(shared, Map.of(
                "WORKER_PORT", Integer.toString(Env.freePort()), "WORKER_CONCURRENCY", "2")));
        gateway = AppProcess.start("gateway", "rrunner.gatewayJar", Env.merge(shared, Map.of(
                "PORT", Integer.toString(port), "RUNNER_TOKEN", TOKEN,
                "MAX_SCRIPT_BYTES", Integer.toString(MAX_SCRIPT_BYTES))));
        // why its own key prefix: no worker serves it, so what it queues stays queued
        fullGateway = AppProcess.start("full-gateway", "rrunner.gatewayJar", Map.of(
                "REDIS_URL", RedisTestContainer.url(REDIS), "REDIS_KEY_PREFIX", "java-full",
                "PORT", Integer.toString(fullPort), "RUNNER_TOKEN", TOKEN, "MAX_QUEUE_DEPTH", "1"));
        Http http = new Http(baseUrl, TOKEN);
        Http fullHttp = new Http(fullBaseUrl, TOKEN);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .failFast(() -> !gateway.isAlive() || !worker.isAlive() || !fullGateway.isAlive())
                .until(() -> http.get("/system").statusCode() == 200 && fullHttp.get("/health").statusCode() == 200);
    }

    @AfterAll
    static void stopApps() throws InterruptedException {
        for (AppProcess app : new AppProcess[] {gateway, fullGateway, worker}) {
            if (app != null) {
                app.close();
            }
        }
    }

    @Test
    void runReturnsTheScriptsOutput() throws ApiException {
        RunResult result = new RunApi(client(baseUrl, TOKEN)).runScript(new RunRequest().script("cat(6 * 7)"), null);

        assertThat(result.getSuccess()).isTrue();
        assertThat(result.getExitCode()).isZero();
        assertThat(result.getStdout()).isEqualTo("42");
        assertThat(result.getProvenance().getEnvironment()).isEqualTo("r-base");
    }

    @Test
    void aSubmittedJobIsLongPolledToItsResult() throws ApiException {
        JobsApi jobs = new JobsApi(client(baseUrl, TOKEN));

        Job submitted = jobs.submitJob(new RunRequest().script("Sys.sleep(1); cat('done')"), null);
        Job job = untilFinished(jobs, submitted.getId());

        assertThat(submitted.getStatus()).isIn(Job.StatusEnum.QUEUED, Job.StatusEnum.RUNNING);
        assertThat(job.getStatus()).isEqualTo(Job.StatusEnum.SUCCEEDED);
        assertThat(job.getResult().getStdout()).isEqualTo("done");
    }

    @Test
    void aCancelledJobEndsCancelled() throws ApiException {
        JobsApi jobs = new JobsApi(client(baseUrl, TOKEN));
        Job submitted = jobs.submitJob(new RunRequest().script("Sys.sleep(300)"), null);

        Job cancelling = jobs.cancelJob(submitted.getId());
        Job job = untilFinished(jobs, submitted.getId());

        assertThat(cancelling.getId()).isEqualTo(submitted.getId());
        assertThat(job.getStatus()).isEqualTo(Job.StatusEnum.CANCELLED);
    }

    @Test
    void aWrongTokenIsA401Problem() throws JsonProcessingException {
        ApiException error = catchThrowableOfType(ApiException.class, () -> new RunApi(client(baseUrl, "wrong"))
                .runScript(new RunRequest().script("1"), null));

        assertProblem(error, 401, ProblemType.UNAUTHORIZED);
    }

    @Test
    void aScriptOverTheLimitIsA413Problem() throws JsonProcessingException {
        String script = "x <- 1\n".repeat(MAX_SCRIPT_BYTES / 7 + 1);

        ApiException error = catchThrowableOfType(ApiException.class, () -> new JobsApi(client(baseUrl, TOKEN))
                .submitJob(new RunRequest().script(script), null));

        assertProblem(error, 413, ProblemType.SCRIPT_TOO_LARGE);
    }

    @Test
    void anUnknownEnvironmentIsA422Problem() throws JsonProcessingException {
        ApiException error = catchThrowableOfType(ApiException.class, () -> new RunApi(client(baseUrl, TOKEN))
                .runScript(new RunRequest().script("1").environment("r-fancy"), null));

        ProblemDetail problem = assertProblem(error, 422, ProblemType.UNKNOWN_ENVIRONMENT);
        assertThat(problem.getEnvironment()).isEqualTo("r-fancy");
    }

    @Test
    void aFullQueueIsA429ProblemWithRetryAfter() throws ApiException, JsonProcessingException {
        JobsApi jobs = new JobsApi(client(fullBaseUrl, TOKEN));
        jobs.submitJob(new RunRequest().script("1"), null);

        ApiException error = catchThrowableOfType(ApiException.class,
                () -> jobs.submitJob(new RunRequest().script("2"), null));

        assertProblem(error, 429, ProblemType.QUEUE_FULL);
        assertThat(error.getResponseHeaders().firstValue("Retry-After")).hasValueSatisfying(
                seconds -> assertThat(Integer.parseInt(seconds)).isPositive());
    }

    private static Job untilFinished(JobsApi jobs, UUID id) throws ApiException {
        Job job = jobs.getJob(id, 30);
        for (int polls = 0; polls < 10 && isWaiting(job); polls++) {
            job = jobs.getJob(id, 30);
        }
        assertThat(isWaiting(job)).as("job %s finished within ten long polls", id).isFalse();
        return job;
    }

    private static boolean isWaiting(Job job) {
        return job.getStatus() == Job.StatusEnum.QUEUED || job.getStatus() == Job.StatusEnum.RUNNING;
    }

    /** The problem body, read with the client's own mapper into the document's ProblemDetail. */
    private static ProblemDetail assertProblem(ApiException error, int status, ProblemType type)
            throws JsonProcessingException {
        assertThat(error).as("an ApiException").isNotNull();
        assertThat(error.getCode()).as(error.getResponseBody()).isEqualTo(status);
        ProblemDetail problem = ApiClient.createDefaultObjectMapper()
                .readValue(error.getResponseBody(), ProblemDetail.class);
        assertThat(problem.getType()).isEqualTo(type.uri().toString());
        assertThat(problem.getStatus()).isEqualTo(status);
        return problem;
    }

    private static ApiClient client(String url, String token) {
        ApiClient client = new ApiClient();
        client.updateBaseUri(url);
        client.setReadTimeout(Duration.ofSeconds(90));
        client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + token));
        return client;
    }
}
