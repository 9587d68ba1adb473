package rrunner.worker.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.DockerClient;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import rrunner.worker.config.DockerClientConfiguration;
import rrunner.worker.sandbox.SandboxUnavailableException;
import rrunner.worker.testing.WorkerSettings;

/** Pulls fail at once on this machine (no registry), which is exactly the outage these tests need. */
class ImagePullerIT {

    private static final String LOCAL_IMAGE = "r-runner-r-base:latest";

    private static DockerClient docker;
    private static String localId;

    @BeforeAll
    static void connect() {
        docker = DockerClientConfiguration.create(16);
        localId = docker.inspectImageCmd(LOCAL_IMAGE).exec().getId();
    }

    @AfterAll
    static void disconnect() throws Exception {
        docker.close();
    }

    @Test
    void goesOnWithTheLocalCopyWhenThePullFails() {
        ImagePuller puller = new ImagePuller(docker, WorkerSettings.bind(ImageProperties.class));

        assertThat(puller.ensure(LOCAL_IMAGE)).isEqualTo(localId).startsWith("sha256:");
        assertThat(puller.retry().getMetrics().getNumberOfFailedCallsWithRetryAttempt()).isEqualTo(1);
    }

    @Test
    void failsClearlyWhenTheImageIsNeitherLocalNorPullable() {
        ImagePuller puller = puller(PullPolicy.INTERVAL, ImagePuller.defaultCircuitBreaker());

        assertThatThrownBy(() -> puller.ensure("r-runner-no-such-image:latest"))
                .isInstanceOf(SandboxUnavailableException.class)
                .hasMessageStartingWith("image r-runner-no-such-image:latest not found locally and pull failed: ")
                .hasMessageNotContaining("Status 500");
    }

    @Test
    void pullsOncePerIntervalWhenManyRunsStartTogether() {
        ImagePuller puller = puller(PullPolicy.INTERVAL, ImagePuller.defaultCircuitBreaker());

        List<String> ids = IntStream.range(0, 4)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> puller.ensure(LOCAL_IMAGE)))
                .toList().stream().map(CompletableFuture::join).toList();

        assertThat(ids).containsOnly(localId);
        assertThat(puller.retry().getMetrics().getNumberOfFailedCallsWithRetryAttempt()).isEqualTo(1);
    }

    @Test
    void ifMissingNeverPullsAPresentImage() {
        ImagePuller puller = puller(PullPolicy.IF_MISSING, ImagePuller.defaultCircuitBreaker());

        assertThat(puller.ensure(LOCAL_IMAGE)).isEqualTo(localId);
        assertThat(puller.circuitBreaker().getMetrics().getNumberOfBufferedCalls()).isZero();
    }

    @Test
    void opensTheCircuitAfterRepeatedFailedPulls() {
        ImagePuller puller = puller(PullPolicy.ALWAYS, ImagePuller.defaultCircuitBreaker());

        for (int i = 0; i < 4; i++) {
            assertThat(puller.ensure(LOCAL_IMAGE)).isEqualTo(localId);
        }
        assertThat(puller.circuitBreaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);

        assertThat(puller.ensure(LOCAL_IMAGE)).isEqualTo(localId);
        assertThat(puller.circuitBreaker().getMetrics().getNumberOfNotPermittedCalls()).isEqualTo(1);
        assertThat(puller.retry().getMetrics().getNumberOfFailedCallsWithRetryAttempt()).isEqualTo(4);
    }

    /** The production circuit breaker with a retry that waits only milliseconds, to keep the tests fast. */
    private static ImagePuller puller(PullPolicy policy, CircuitBreaker circuitBreaker) {
        Retry fastRetry = Retry.of(ImagePuller.BACKEND, RetryConfig.custom()
                .maxAttempts(3)
                .intervalFunction(IntervalFunction.of(Duration.ofMillis(5)))
                .build());
        ImageProperties settings = new ImageProperties(policy, Duration.ofMinutes(5), Duration.ofSeconds(30));
        return new ImagePuller(docker, settings, fastRetry, circuitBreaker, Clock.systemUTC());
    }
}
