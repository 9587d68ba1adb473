package rrunner.worker.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import rrunner.worker.config.DockerClientConfiguration;

/**
 * The Docker check against real sockets: this machine's engine, a socket nobody listens on, and one that accepts
 * connections but never answers, as a hung engine does.
 */
class DockerHealthIndicatorIT {

    /** Longer than the check's own timeout, so a check that never gives up fails the test instead of hanging it. */
    private static final Duration WAIT = DockerHealthIndicator.PING_TIMEOUT.plusSeconds(5);

    @TempDir
    Path dir;

    @Test
    void isUpWhenTheEngineAnswers() throws IOException {
        try (DockerClient docker = DockerClientConfiguration.create(2)) {
            assertThat(new DockerHealthIndicator(docker).health().block(WAIT).getStatus()).isEqualTo(Status.UP);
        }
    }

    @Test
    void isDownWhenNoEngineListensOnTheSocket() throws IOException {
        try (DockerClient docker = clientFor(dir.resolve("no-engine.sock"))) {
            assertThat(new DockerHealthIndicator(docker).health().block(WAIT).getStatus()).isEqualTo(Status.DOWN);
        }
    }

    @Test
    void isDownWithinItsTimeoutWhenTheEngineNeverAnswers() throws IOException {
        Path socket = dir.resolve("hung-engine.sock");
        List<SocketChannel> held = new CopyOnWriteArrayList<>();
        try (ServerSocketChannel engine = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            engine.bind(UnixDomainSocketAddress.of(socket));
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(engine.accept());
                    }
                } catch (IOException closed) {
                    // the test is over and closed the socket
                }
            });
            acceptor.start();
            try (DockerClient docker = clientFor(socket)) {
                Health health = new DockerHealthIndicator(docker).health().block(WAIT);

                assertThat(health.getStatus()).isEqualTo(Status.DOWN);
                assertThat(health.getDetails()).containsEntry("error",
                        "the Docker engine did not answer within " + DockerHealthIndicator.PING_TIMEOUT.toSeconds()
                                + " s");
            }
        } finally {
            for (SocketChannel connection : held) {
                connection.close();
            }
            Files.deleteIfExists(socket);
        }
    }

    private static DockerClient clientFor(Path socket) {
        return DockerClientConfiguration.create(DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost("unix://" + socket).build(), 2);
    }
}
