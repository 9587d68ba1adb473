package rrunner.gateway.config;

import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import rrunner.common.queue.RequestBuckets;
import rrunner.common.queue.WebhookSchedule;
import rrunner.common.redis.QueueProperties;
import rrunner.gateway.completion.CompletionWaiters;
import rrunner.gateway.webhooks.HostResolver;

/** Beans that connect the gateway's features to metrics and to Redis. */
@Configuration(proxyBeanMethods = false)
public class GatewayConfiguration {

    static final String WAITERS = "rrunner.gateway.waiters";

    @Bean
    WebhookSchedule webhookSchedule(QueueProperties queue, StatefulRedisConnection<String, String> connection) {
        return new WebhookSchedule(queue.keys(), connection.reactive());
    }

    /** The system's resolver; a bean so tests can stand in a DNS server that changes its answers. */
    @Bean
    HostResolver hostResolver() {
        return HostResolver.system();
    }

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
