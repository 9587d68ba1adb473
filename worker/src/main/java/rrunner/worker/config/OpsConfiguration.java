package rrunner.worker.config;

import com.github.dockerjava.api.DockerClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import rrunner.common.queue.WorkerRegistry;
import rrunner.common.redis.QueueProperties;
import rrunner.worker.consume.ActiveJobs;
import rrunner.worker.ops.DockerHealthIndicator;
import rrunner.worker.ops.OpsProperties;
import rrunner.worker.ops.RedisHealthIndicator;
import rrunner.worker.ops.WorkerHeartbeat;
import rrunner.worker.sandbox.SandboxProperties;

/** Wires the worker's heartbeat and the checks its readiness probe includes ({@code redis}, {@code docker}). */
@Configuration(proxyBeanMethods = false)
public class OpsConfiguration {

    @Bean
    WorkerRegistry workerRegistry(QueueProperties queue, StatefulRedisConnection<String, String> redis) {
        return new WorkerRegistry(queue.keys(), redis.reactive());
    }

    /** Leaves the registry when destroyed: after the claim loop stopped and its jobs ended or were handed back. */
    @Bean(destroyMethod = "leave")
    WorkerHeartbeat workerHeartbeat(WorkerRegistry registry, ActiveJobs active, WorkerIdentity identity,
            WorkerProperties worker, SandboxProperties sandbox, OpsProperties ops) {
        return new WorkerHeartbeat(registry, active, identity.id(), worker.resolvedConcurrency(), sandbox.image(),
                ops.heartbeatInterval());
    }

    /** Named so it replaces Boot's own "redis" indicator (see {@link RedisHealthIndicator} for why). */
    @Bean
    RedisHealthIndicator redisHealthIndicator(StatefulRedisConnection<String, String> redis) {
        return new RedisHealthIndicator(redis.reactive());
    }

    @Bean
    DockerHealthIndicator dockerHealthIndicator(DockerClient docker) {
        return new DockerHealthIndicator(docker);
    }
}
