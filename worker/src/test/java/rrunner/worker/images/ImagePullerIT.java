package rrunner.worker.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.DockerClient;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import rrunner.worker.sandbox.SandboxUnavailableException;
import rrunner.worker.testing.DockerSandboxes;
import rrunner.worker.testing.WorkerSettings;

/**
 * Pulls fail at once on this machine (no registry), which is exactly the outage these tests need. Each test has
 * registries of its own, bound to its own meters as the worker binds them, so the counts are the test's alone.
 */
class ImagePullerIT {

    private static final String LOCAL_IMAGE = "r-runner-r-base:latest";
    private static final String MISSING_IMAGE = "r-runner-no-such-image:latest";

    @RegisterExtension
    static final DockerSandboxes SANDBOXES = DockerSandboxes.withConnections(16);

    private static String localId;

    private final DockerClient docker = SANDBOXES.client();
    private final MeterRegistry meters = new SimpleMeterRegistry();
    private final RetryRegistry retries = RetryRegistry.ofDefaults();
    private final CircuitBreakerRegistry circuitBreakers = CircuitBreakerRegistry.ofDefaults();

    @BeforeAll
    static void findTheLocalImage(DockerClient docker) {
        localId = docker.inspectImageCmd(LOCAL_IMAGE).exec().getId();
    }

    ImagePullerIT() {
        TaggedRetryMetrics.ofRetryRegistry(retries).bindTo(meters);
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(circuitBreakers).bindTo(meters);
    }

    @Test
    void goesOnWithTheLocalCopyWhenThePullFails() {
        ImagePuller puller = puller(WorkerSettings.bind(ImageProperties.class), ImagePuller.retryConfig());

        assertThat(puller.ensure(LOCAL_IMAGE)).isEqualTo(localId).startsWith("sha256:");
        assertThat(retry().getMetrics().getNumberOfFailedCallsWithRetryAttempt()).isEqualTo(1);
    }

    @Test
    void failsClearlyWhenTheImageIsNeitherLocalNorPullable() {
        ImagePuller puller = puller(PullPolicy.INTERVAL);

        assertThatThrownBy(() -> puller.ensure(MISSING_IMAGE))
                .isInstanceOf(SandboxUnavailableException.class)
                .hasMessageStartingWith("image " + MISSING_IMAGE + " not found locally and pull failed: ")
                .hasMessageNotContaining("Status 500");
    }

    @Test
    void countsEachFailedPullByWhatTheRunUsedInstead() {
        ImagePuller puller = puller(PullPolicy.INTERVAL);

        assertThat(pullFailures("cached")).isZero();
        assertThat(pullFailures("unavailable")).isZero();

        puller.ensure(LOCAL_IMAGE);
        assertThatThrownBy(() -> puller.ensure(MISSING_IMAGE)).isInstanceOf(SandboxUnavailableException.class);

        assertThat(pullFailures("cached")).isEqualTo(1);
        assertThat(pullFailures("unavailable")).isEqualTo(1);
    }

    @Test
    void publishesTheRetryAndCircuitBreakerOfThePullsAsMetrics() {
        puller(PullPolicy.ALWAYS).ensure(LOCAL_IMAGE);

        assertThat(meters.get("resilience4j.retry.calls").tag("name", ImagePuller.BACKEND)
                .tag("kind", "failed_with_retry").functionCounter().count()).isEqualTo(1);
        assertThat(meters.get("resilience4j.circuitbreaker.calls").tag("name", ImagePuller.BACKEND)
                .tag("kind", "failed").timer().count()).isEqualTo(1);
        assertThat(meters.get("resilience4j.circuitbreaker.state").tag("name", ImagePuller.BACKEND)
                .tag("state", "closed").gauge().value()).isEqualTo(1);
    }

    @Test
    void pullsOncePerIntervalWhenManyRunsStartTogether() {
        ImagePuller puller = puller(PullPolicy.INTERVAL);

        List<String> ids = IntStream.range(0, 4)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> puller.ensure(LOCAL_IMAGE)))
                .toList().stream().map(CompletableFuture::join).toList();

        assertThat(ids).containsOnly(localId);
        assertThat(retry().getMetrics().getNumberOfFailedCallsWithRetryAttempt()).isEqualTo(1);
    }

    @Test
    void ifMissingNeverPullsAPresentImage() {
        ImagePuller puller = puller(PullPolicy.IF_MISSING);

        assertThat(puller.ensure(LOCAL_IMAGE)).isEqualTo(localId);
        assertThat(circuitBreaker().getMetrics().getNumberOfBufferedCalls()).isZero();
    }

    @Test
    void opensTheCircuitAfterRepeatedFailedPulls() {
        ImagePuller puller = puller(PullPolicy.ALWAYS);

        for (int i = 0; i < 4; i++) {
            assertThat(puller.ensure(LOCAL_IMAGE)).isEqualTo(localId);
        }
        assertThat(circuitBreaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);

        assertThat(puller.ensure(LOCAL_IMAGE)).isEqualTo(localId);
        assertThat(circuitBreaker().getMetrics().getNumberOfNotPermittedCalls()).isEqualTo(1);
        assertThat(retry().getMetrics().getNumberOfFailedCallsWithRetryAttempt()).isEqualTo(4);
        assertThat(pullFailures("cached")).as("refused by the open circuit counts too").isEqualTo(5);
    }

    /** The production circuit breaker with a retry that waits only milliseconds, to keep the tests fast. */
    private ImagePuller puller(PullPolicy policy) {
        RetryConfig fastRetry = RetryConfig.from(ImagePuller.retryConfig())
                .intervalFunction(IntervalFunction.of(Duration.ofMillis(5)))
                .build();
        return puller(new ImageProperties(policy, Duration.ofMinutes(5), Duration.ofSeconds(30)), fastRetry);
    }

    private ImagePuller puller(ImageProperties settings, RetryConfig retryConfig) {
        return new ImagePuller(docker, settings, retries.retry(ImagePuller.BACKEND, retryConfig),
                circuitBreakers.circuitBreaker(ImagePuller.BACKEND, ImagePuller.circuitBreakerConfig()), meters);
    }

    private Retry retry() {
        return retries.retry(ImagePuller.BACKEND);
    }

    private CircuitBreaker circuitBreaker() {
        return circuitBreakers.circuitBreaker(ImagePuller.BACKEND);
    }

    private double pullFailures(String outcome) {
        return meters.get(PullFailures.NAME).tag("outcome", outcome).counter().count();
    }
}
