package rrunner.gateway.config;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import rrunner.gateway.completion.CompletionWaiters;

/** Beans that connect the gateway's features to metrics. */
@Configuration(proxyBeanMethods = false)
public class GatewayConfiguration {

    static final String WAITERS = "rrunner.gateway.waiters";

    @Bean
    MeterBinder completionWaitersMetrics(CompletionWaiters waiters) {
        return registry -> Gauge.builder(WAITERS, waiters, CompletionWaiters::waiting)
                .description("Jobs this gateway instance is waiting on for a caller")
                .register(registry);
    }
}
