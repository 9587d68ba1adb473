package rrunner.gateway.config;

import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import rrunner.common.queue.RequestBuckets;
import rrunner.common.redis.QueueProperties;
import rrunner.gateway.completion.CompletionWaiters;

/** Beans that connect the gateway's features to metrics and to Redis. */
@Configuration(proxyBeanMethods = false)
public class GatewayConfiguration {

    static final String WAITERS = "rrunner.gateway.waiters";

    @Bean
    RequestBuckets requestBuckets(QueueProperties queue, StatefulRedisConnection<String, String> connection) {
        return new RequestBuckets(queue.keys(), connection.reactive());
    }

    @Bean
    MeterBinder completionWaitersMetrics(CompletionWaiters waiters) {
        return registry -> Gauge.builder(WAITERS, waiters, CompletionWaiters::waiting)
                .description("Jobs this gateway instance is waiting on for a caller")
                .register(registry);
    }
}
