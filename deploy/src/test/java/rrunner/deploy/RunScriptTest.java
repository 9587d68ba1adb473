package rrunner.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run command's choice of a port for its own Redis (against real listening sockets), of gVisor and of the images
 * it builds.
 */
class RunScriptTest {

    /** A (fake) engine without gVisor that the script did not start, as on a host with Docker already running. */
    private static final String SOMEONE_ELSES_ENGINE = """
            unset DOCKER_HOST
            setsid dockerd >/dev/null 2>&1 &
            until [ -e "$FAKE_ENGINE_STATE/up" ]; do sleep 0.1; done
            ensure_docker
            """;

    @TempDir
    Path tempDir;

    @Test
    void seesAPortSomethingListensOn() throws IOException {
        try (ServerSocket listener = listenOnLoopback()) {
            assertThat(run("port_in_use " + listener.getLocalPort(), Map.of()).exitCode()).isZero();
        }
    }

    @Test
    void seesAPortNothingListensOnAsFree() throws IOException {
        int port;
        try (ServerSocket listener = listenOnLoopback()) {
            port = listener.getLocalPort();
        }

        assertThat(run("port_in_use " + port, Map.of()).exitCode()).isEqualTo(1);
    }

    @Test
    void anExplicitRedisPortThatIsTakenStopsWithWhatToDo() throws IOException {
        try (ServerSocket listener = listenOnLoopback()) {
            String port = Integer.toString(listener.getLocalPort());

            Bash.Result result = run("pick_redis_port 6379", Map.of("RUNNER_REDIS_PORT", port));

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.stdout()).isEmpty();
            assertThat(result.stderr()).contains("127.0.0.1:" + port + " (RUNNER_REDIS_PORT) is already in use",
                    "Set RUNNER_REDIS_PORT to a free port", "REDIS_URL=redis://127.0.0.1:" + port);
        }
    }

    @Test
    void aTakenDefaultPortMovesRedisToAFreeOne() throws IOException {
        try (ServerSocket listener = listenOnLoopback()) {
            int taken = listener.getLocalPort();

            Bash.Result result = run("unset RUNNER_REDIS_PORT; pick_redis_port " + taken, Map.of());

            assertThat(result.exitCode()).as(result.stderr()).isZero();
            int picked = Integer.parseInt(result.stdout().strip());
            assertThat(picked).isGreaterThan(taken);
            assertThat(run("port_in_use " + picked, Map.of()).exitCode()).as("port %d is free", picked).isEqualTo(1);
            assertThat(result.stderr()).contains("127.0.0.1:" + taken + " is in use", "takes port " + picked);
        }
    }

    @Test
    void gvisorIsSetUpWhenTheWorkerIsToUseIt() {
        FakeEngine engine = new FakeEngine(tempDir);
        Map<String, String> env = new HashMap<>(engine.env());
        env.put("RUNNER_CONTAINER_RUNTIME", "runsc");
        try {
            Bash.Result result = run(SOMEONE_ELSES_ENGINE + "ensure_sandbox_runtime", env);

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.stderr()).contains("gVisor (runsc) is not registered with this Docker engine");
        } finally {
            engine.killLeftovers();
        }
    }

    @Test
    void gvisorIsLeftAloneOtherwise() {
        FakeEngine engine = new FakeEngine(tempDir);
        try {
            Bash.Result result = run(SOMEONE_ELSES_ENGINE
                    + "unset RUNNER_CONTAINER_RUNTIME; ensure_sandbox_runtime && echo done", engine.env());

            assertThat(result.exitCode()).as(result.stderr()).isZero();
            assertThat(result.stdout()).contains("done");
            assertThat(result.stderr()).doesNotContain("gVisor");
        } finally {
            engine.killLeftovers();
        }
    }

    @Test
    void buildsTheDefaultImagesWhenOnlyRBaseIsServed() {
        Bash.Result result = run("unset RUNNER_ENVIRONMENTS RUNNER_FULL_IMAGE; image_targets", Map.of());

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.lines()).containsExactly("base", "redis", "r-base");
    }

    @Test
    void buildsRFullWhenItIsServed() {
        Bash.Result result = run("unset RUNNER_FULL_IMAGE; image_targets",
                Map.of("RUNNER_ENVIRONMENTS", " r-base , r-full"));

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.lines()).containsExactly("base", "redis", "r-base", "r-full");
    }

    @Test
    void leavesRFullToAnImageOfTheOperatorsOwn() {
        Bash.Result result = run("image_targets",
                Map.of("RUNNER_ENVIRONMENTS", "r-base,r-full", "RUNNER_FULL_IMAGE", "registry.example.org/r-full:2"));

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.lines()).containsExactly("base", "redis", "r-base");
        assertThat(result.stderr()).contains("RUNNER_FULL_IMAGE=registry.example.org/r-full:2");
    }

    private Bash.Result run(String snippet, Map<String, String> env) {
        return Bash.source("run.sh", snippet, tempDir, env);
    }

    private static ServerSocket listenOnLoopback() throws IOException {
        return new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    }
}
