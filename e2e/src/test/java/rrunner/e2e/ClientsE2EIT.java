package rrunner.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import rrunner.common.testing.RedisTestContainer;

/**
 * The Python and R clients' own test suites (clients/python, clients/r), run as their users would run them against
 * a real gateway and worker.
 */
@Testcontainers
class ClientsE2EIT {

    private static final String TOKEN = "clients-" + System.nanoTime();
    private static final Path CLIENTS = Paths.get("..", "clients").toAbsolutePath().normalize();
    private static final Duration SUITE_TIMEOUT = Duration.ofMinutes(5);

    @Container
    static final GenericContainer<?> REDIS = RedisTestContainer.create();

    private static AppProcess gateway;
    private static AppProcess worker;
    private static String baseUrl;

    @BeforeAll
    static void startApps() {
        int port = Env.freePort();
        baseUrl = "http://localhost:" + port;
        Map<String, String> shared = Map.of("REDIS_URL", RedisTestContainer.url(REDIS), "REDIS_KEY_PREFIX", "clients");
        worker = AppProcess.start("worker", "rrunner.workerJar", Env.merge(shared, Map.of(
                "WORKER_PORT", Integer.toString(Env.freePort()), "WORKER_CONCURRENCY", "2")));
        gateway = AppProcess.start("gateway", "rrunner.gatewayJar", Env.merge(shared, Map.of(
                "PORT", Integer.toString(port), "RUNNER_TOKEN", TOKEN)));
        Http http = new Http(baseUrl, TOKEN);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .failFast(() -> !gateway.isAlive() || !worker.isAlive())
                .until(() -> http.get("/system").statusCode() == 200);
    }

    @AfterAll
    static void stopApps() throws InterruptedException {
        if (gateway != null) {
            gateway.close();
        }
        if (worker != null) {
            worker.close();
        }
    }

    @Test
    void thePythonClientsSuitePasses() throws Exception {
        assertPasses(CLIENTS.resolve("python"), List.of("python3", "-m", "unittest", "-v", "test_rrunner"));
    }

    @Test
    void theRClientsSuitePasses(@TempDir Path library) throws Exception {
        Path r = CLIENTS.resolve("r");
        assertPasses(r, List.of("R", "CMD", "INSTALL", "--no-test-load", "--library=" + library, r.toString()));
        assertPasses(r, List.of("Rscript", "-e", ".libPaths(c('" + library + "', .libPaths())); library(testthat); "
                + "library(rrunner); test_dir('tests/testthat', stop_on_failure = TRUE, reporter = 'summary')"));
    }

    private static void assertPasses(Path directory, List<String> command) throws IOException, InterruptedException {
        Path output = Files.createTempFile("rrunner-client-suite", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put("RRUNNER_URL", baseUrl);
        builder.environment().put("RRUNNER_TOKEN", TOKEN);
        Process process = builder.start();
        boolean ended = process.waitFor(SUITE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (!ended) {
            process.destroyForcibly();
        }
        String log = Files.readString(output, StandardCharsets.UTF_8);
        assertThat(ended).as("%s ended within %s:%n%s", command, SUITE_TIMEOUT, log).isTrue();
        assertThat(process.exitValue()).as("%s:%n%s", command, log).isZero();
    }
}
