package rrunner.worker.images;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.PullImageResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import rrunner.worker.sandbox.SandboxUnavailableException;

/**
 * Makes sure the execution image is present before a run, pulling it as the {@link PullPolicy} says. A pull is
 * retried ({@code Retry} {@value #BACKEND}) inside a circuit breaker of the same name, so a registry outage costs
 * the first jobs their retries and later jobs nothing. A failed pull falls back to the local copy; only an image
 * that is neither pullable nor present fails the run, and either way the failure is counted ({@link PullFailures}).
 * One pull per image at a time; other runs of that image wait. The retry and circuit breaker come from the
 * worker's resilience4j registries, which publish their metrics under the name {@value #BACKEND}.
 */
public class ImagePuller {

    public static final String BACKEND = "docker-pull";

    private static final Logger log = LoggerFactory.getLogger(ImagePuller.class);

    private final DockerClient docker;
    private final ImageProperties settings;
    private final Retry retry;
    private final CircuitBreaker circuitBreaker;
    private final PullFailures failures;
    private final Map<String, PullState> states = new ConcurrentHashMap<>();

    /** @param meters receives {@value PullFailures#NAME}, registered here */
    public ImagePuller(DockerClient docker, ImageProperties settings, Retry retry, CircuitBreaker circuitBreaker,
            MeterRegistry meters) {
        this.docker = docker;
        this.settings = settings;
        this.retry = retry;
        this.circuitBreaker = circuitBreaker;
        this.failures = new PullFailures(meters);
    }

    /** The {@value #BACKEND} retry: three attempts with randomised exponential backoff from 200 ms. */
    public static RetryConfig retryConfig() {
        return RetryConfig.custom()
                .maxAttempts(3)
                .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(Duration.ofMillis(200), 2.0, 0.5))
                // why: a name the registry doesn't know won't appear on a second try
                .ignoreExceptions(NotFoundException.class, SandboxUnavailableException.class)
                .build();
    }

    /** The {@value #BACKEND} circuit breaker: opens at half of the last 10 pulls failing, for a minute. */
    public static CircuitBreakerConfig circuitBreakerConfig() {
        return CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(10)
                .minimumNumberOfCalls(4)
                .failureRateThreshold(50)
                .waitDurationInOpenState(Duration.ofMinutes(1))
                .permittedNumberOfCallsInHalfOpenState(1)
                .build();
    }

    /**
     * Returns the id ({@code sha256:...}) of the local image runs should use now.
     *
     * @throws SandboxUnavailableException the image is not present and could not be pulled
     */
    public String ensure(String image) {
        PullState state = states.computeIfAbsent(image, name -> new PullState());
        synchronized (state) {
            Optional<String> local = localId(image);
            Instant now = Instant.now();
            if (!settings.pullPolicy().shouldPull(local.isPresent(), state.lastAttempt, now,
                    settings.pullInterval())) {
                return local.orElseThrow();
            }
            state.lastAttempt = now;
            try {
                guarded(() -> pull(image)).get();
            } catch (RuntimeException e) {
                return fallBack(image, local, state, now, e);
            }
            return localId(image).orElseThrow(() -> new SandboxUnavailableException(
                    "image " + image + " was pulled but is not present locally"));
        }
    }

    private String fallBack(String image, Optional<String> local, PullState state, Instant now, RuntimeException e) {
        String reason = SandboxUnavailableException.describe(e);
        failures.failed(local.isPresent());
        if (local.isEmpty()) {
            throw new SandboxUnavailableException(
                    "image " + image + " not found locally and pull failed: " + reason, e);
        }
        if (state.lastWarning == null || !now.isBefore(state.lastWarning.plus(settings.pullInterval()))) {
            state.lastWarning = now;
            log.warn("pulling {} failed, using the local copy {}: {}", image, local.get(), reason);
        }
        return local.get();
    }

    private <T> Supplier<T> guarded(Supplier<T> pull) {
        return CircuitBreaker.decorateSupplier(circuitBreaker, Retry.decorateSupplier(retry, pull));
    }

    private Void pull(String image) {
        ImageReference reference = ImageReference.parse(image);
        try {
            boolean done = docker.pullImageCmd(reference.repository())
                    .withTag(reference.tag())
                    .exec(new PullCallback())
                    .awaitCompletion(settings.pullTimeout().toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                throw new IllegalStateException("pull did not finish within " + settings.pullTimeout());
            }
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxUnavailableException("interrupted while pulling " + image, e);
        }
    }

    /**
     * The id of the local image {@code image} names now, without pulling; empty if there is none.
     *
     * @throws SandboxUnavailableException Docker could not be asked
     */
    public Optional<String> localId(String image) {
        try {
            return Optional.of(docker.inspectImageCmd(image).exec().getId());
        } catch (NotFoundException absent) {
            return Optional.empty();
        } catch (RuntimeException e) {
            throw SandboxUnavailableException.of("looking up image " + image, e);
        }
    }

    /**
     * Reports a failed pull to the caller only: the stock callback also logs every failure with a stack trace at
     * ERROR, which a registry outage would turn into a flood; the fallback logs one line per interval instead.
     */
    private static final class PullCallback extends PullImageResultCallback {

        private volatile Throwable error;

        @Override
        public void onError(Throwable throwable) {
            error = throwable;
            try {
                close();
            } catch (IOException e) {
                log.debug("closing a failed pull stream failed", e);
            }
        }

        @Override
        protected void throwFirstError() {
            Throwable failure = error;
            if (failure instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (failure != null) {
                throw new IllegalStateException(failure);
            }
            super.throwFirstError();
        }
    }

    /** Per image: when a pull was last tried and a failure last reported; guarded by the instance's monitor. */
    private static final class PullState {
        private Instant lastAttempt;
        private Instant lastWarning;
    }
}
