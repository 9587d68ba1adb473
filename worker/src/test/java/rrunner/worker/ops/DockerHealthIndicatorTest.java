package rrunner.worker.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.PingCmd;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import reactor.test.StepVerifier;

class DockerHealthIndicatorTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private final DockerClient docker = mock(DockerClient.class);
    private final PingCmd ping = mock(PingCmd.class);
    private final CountDownLatch engineAnswers = new CountDownLatch(1);
    private final DockerHealthIndicator indicator = new DockerHealthIndicator(docker);

    @AfterEach
    void releaseHungPings() {
        engineAnswers.countDown();
    }

    @Test
    void isUpWhenTheEngineAnswers() {
        when(docker.pingCmd()).thenReturn(ping);

        assertThat(indicator.health().block(WAIT).getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void isDownWhenThePingFails() {
        when(docker.pingCmd()).thenReturn(ping);
        when(ping.exec()).thenThrow(new IllegalStateException("Cannot connect to the Docker daemon"));

        assertThat(indicator.health().block(WAIT).getStatus()).isEqualTo(Status.DOWN);
    }

    @Test
    void isDownAfterTheTimeoutWhileTheEngineHangsAndPingsItOnlyOnce() {
        when(docker.pingCmd()).thenReturn(ping);
        when(ping.exec()).thenAnswer(call -> {
            engineAnswers.await();
            return null;
        });

        // why started outside virtual time: that would run the hanging ping on the test's own thread
        indicator.health();
        for (int check = 0; check < 2; check++) {
            StepVerifier.withVirtualTime(indicator::health)
                    .thenAwait(DockerHealthIndicator.PING_TIMEOUT)
                    .assertNext(health -> assertThat(health).extracting(Health::getStatus).isEqualTo(Status.DOWN))
                    .verifyComplete();
        }
        verify(docker, times(1)).pingCmd();
    }
}
