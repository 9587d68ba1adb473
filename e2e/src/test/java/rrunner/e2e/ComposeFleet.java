package rrunner.e2e;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.testcontainers.DockerClientFactory;

/**
 * The repository's own compose.yaml, brought up and operated the way an operator does it, with the commands they
 * would type (Compose v2's {@code docker compose} where it exists, else Debian's {@code docker-compose} 1.29), under a
 * project name of its own and with settings from an env file of its own, so it never meets another deployment on
 * the same engine.
 */
final class ComposeFleet implements AutoCloseable {

    static final Path ROOT = Path.of(System.getProperty("rrunner.repoRoot", "..")).toAbsolutePath().normalize();
    /** Where Caddy keeps the root of its local CA, in its data volume. */
    private static final String CADDY_ROOT_CERT = "/data/caddy/pki/authorities/local/root.crt";
    /** Five JVMs starting at once on two cores took 85 s here; compose waits for the gateways' health first. */
    private static final Duration UP_TIMEOUT = Duration.ofMinutes(5);

    private final String project;
    private final Map<String, String> settings;
    private final List<String> compose;

    private ComposeFleet(String project, Map<String, String> settings, Path envFile) {
        this.project = project;
        this.settings = settings;
        this.compose = new ArrayList<>(composeCommand());
        compose.addAll(List.of("--project-name", project, "--env-file", envFile.toString(),
                "--file", ROOT.resolve("compose.yaml").toString(), "--project-directory", ROOT.toString()));
    }

    /** A fleet of that project name, not yet up; {@code settings} are the .env it is configured with. */
    static ComposeFleet of(String project, Map<String, String> settings) {
        try {
            Path envFile = Files.createTempFile(project, ".env");
            Files.writeString(envFile, settings.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("\n", "", "\n")));
            return new ComposeFleet(project, settings, envFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Builds the service images from this build's jars (images/build.sh skips those whose inputs are unchanged). */
    static void buildImages() {
        run(List.of("bash", ROOT.resolve("images/build.sh").toString(), "gateway", "worker", "caddy"),
                Duration.ofMinutes(10), Map.of());
    }

    String project() {
        return project;
    }

    String setting(String name) {
        return settings.get(name);
    }

    /** {@code up -d} with that many gateways and workers; containers already there are left as they are. */
    void up(int gateways, int workers) {
        compose(UP_TIMEOUT, "up", "-d", "--no-recreate",
                "--scale", "gateway=" + gateways, "--scale", "worker=" + workers);
    }

    /** The ids of the service's running containers. */
    List<String> running(String service) {
        return Arrays.stream(compose(Duration.ofSeconds(30), "ps", "-q", service).split("\n"))
                .map(String::strip).filter(id -> !id.isEmpty())
                .filter(id -> Boolean.TRUE.equals(inspect(id).getState().getRunning()))
                .toList();
    }

    /** The host port (on 127.0.0.1) a gateway container is published on, out of the PORT range. */
    int gatewayPort(String gateway) {
        Ports.Binding[] bindings = inspect(gateway).getNetworkSettings().getPorts().getBindings()
                .get(ExposedPort.tcp(8000));
        return Integer.parseInt(bindings[0].getHostPortSpec());
    }

    /** Redis has no published port; the host reaches it on the compose network, as Linux routes bridge networks. */
    String redisUrl() {
        String redis = running("redis").get(0);
        String address = inspect(redis).getNetworkSettings().getNetworks().values().iterator().next().getIpAddress();
        return "redis://" + address + ":6379";
    }

    /** The root certificate of Caddy's local CA (PEM), read out of its data volume as an operator would. */
    String caddyRootCertificate() {
        return compose(Duration.ofSeconds(30), "exec", "-T", "caddy", "cat", CADDY_ROOT_CERT);
    }

    /** A {@code docker} command on one of the fleet's containers (restart, stop, rm); returns how long it took. */
    Duration docker(String... arguments) {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(arguments));
        long start = System.nanoTime();
        run(command, Duration.ofMinutes(2), Map.of());
        return Duration.ofNanos(System.nanoTime() - start);
    }

    InspectContainerResponse inspect(String container) {
        return docker().inspectContainerCmd(container).exec();
    }

    /** The last lines of every service's log, for a failure's message. */
    String logs() {
        return compose(Duration.ofSeconds(60), "logs", "--no-color", "--tail", "80");
    }

    /** {@code down -v}: containers, the network and the volumes go. */
    @Override
    public void close() {
        compose(Duration.ofMinutes(3), "down", "-v", "--remove-orphans");
    }

    static DockerClient docker() {
        return DockerClientFactory.instance().client();
    }

    private String compose(Duration timeout, String... arguments) {
        List<String> command = new ArrayList<>(compose);
        command.addAll(List.of(arguments));
        return run(command, timeout, settings);
    }

    /** Compose v2 where the docker CLI has it; else Debian's docker-compose 1.29 (scripts/test.sh installs it). */
    private static List<String> composeCommand() {
        if (succeeds(List.of("docker", "compose", "version"))) {
            return List.of("docker", "compose");
        }
        if (succeeds(List.of("docker-compose", "version"))) {
            return List.of("docker-compose");
        }
        throw new IllegalStateException("neither `docker compose` (Compose v2) nor `docker-compose` is installed: "
                + "scripts/test.sh installs Debian's docker-compose");
    }

    private static boolean succeeds(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Runs a command to its end; its standard output, or an exception with all it printed when it failed.
     * {@code settings} go into its environment as well: Compose prefers the shell's variables to its env file's.
     */
    private static String run(List<String> command, Duration timeout, Map<String, String> settings) {
        try {
            Path out = Files.createTempFile("rrunner-fleet", ".out");
            Path err = Files.createTempFile("rrunner-fleet", ".err");
            ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            // why: the fleet must get the test's settings only, not a RUNNER_* this JVM happened to inherit
            builder.environment().keySet().removeIf(key -> key.startsWith("RUNNER_") || key.startsWith("SPRING_"));
            builder.environment().putAll(settings);
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
                throw new IllegalStateException(command + " did not end within " + timeout + ":\n"
                        + Files.readString(out) + Files.readString(err));
            }
            String output = Files.readString(out);
            String errors = Files.readString(err);
            Files.delete(out);
            Files.delete(err);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(command + " failed (exit " + process.exitValue() + "):\n"
                        + output + errors);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(command + " was interrupted", e);
        }
    }
}
