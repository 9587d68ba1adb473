package rrunner.worker.config;

import com.github.dockerjava.api.DockerClient;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.github.resilience4j.retry.RetryRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import rrunner.worker.images.ImageProperties;
import rrunner.worker.images.ImagePuller;

/**
 * The image puller and the resilience4j registries its retry and circuit breaker come from. The registries are
 * bound to Micrometer ({@code resilience4j_retry_*}, {@code resilience4j_circuitbreaker_*}, tagged by name), so
 * every instance taken from them is measured without further wiring.
 */
@Configuration(proxyBeanMethods = false)
public class ImagePullConfiguration {

    @Bean
    RetryRegistry retryRegistry() {
        return RetryRegistry.ofDefaults();
    }

    @Bean
    CircuitBreakerRegistry circuitBreakerRegistry() {
        return CircuitBreakerRegistry.ofDefaults();
    }

    @Bean
    MeterBinder retryMetrics(RetryRegistry retries) {
        return TaggedRetryMetrics.ofRetryRegistry(retries);
    }

    @Bean
    MeterBinder circuitBreakerMetrics(CircuitBreakerRegistry circuitBreakers) {
        return TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(circuitBreakers);
    }

    @Bean
    ImagePuller imagePuller(DockerClient docker, ImageProperties images, RetryRegistry retries,
            CircuitBreakerRegistry circuitBreakers, MeterRegistry meters) {
        return new ImagePuller(docker, images, retries.retry(ImagePuller.BACKEND, ImagePuller.retryConfig()),
                circuitBreakers.circuitBreaker(ImagePuller.BACKEND, ImagePuller.circuitBreakerConfig()), meters);
    }
}
