package rrunner.gateway.config;

import io.lettuce.core.api.StatefulRedisConnection;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import rrunner.common.queue.JobQueue;
import rrunner.common.queue.WorkerRegistry;
import rrunner.gateway.ops.RedisHealthIndicator;

/** The worker registry on the shared connection, and the Redis check the readiness probe includes. */
@Configuration(proxyBeanMethods = false)
public class OpsConfiguration {

    @Bean
    WorkerRegistry workerRegistry(JobQueue queue, StatefulRedisConnection<String, String> connection) {
        return new WorkerRegistry(queue.keys(), connection.reactive());
    }

    /** Named so it replaces Boot's own "redis" indicator (see {@link RedisHealthIndicator} for why). */
    @Bean
    RedisHealthIndicator redisHealthIndicator(StatefulRedisConnection<String, String> connection) {
        return new RedisHealthIndicator(connection.reactive());
    }
}
