package rrunner.worker.config;

import com.github.dockerjava.api.DockerClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import rrunner.common.environment.Environments;
import rrunner.common.queue.WorkerRegistry;
import rrunner.common.redis.HeartbeatProperties;
import rrunner.worker.consume.ActiveJobs;
import rrunner.worker.ops.DockerHealthIndicator;
import rrunner.worker.ops.WorkerHeartbeat;
import rrunner.worker.sandbox.SandboxProperties;
import rrunner.worker.images.EnvironmentReports;
import rrunner.worker.session.HostedSessions;
import rrunner.worker.session.SessionHostProperties;

/**
 * Wires the worker's heartbeat and its Docker check; the registry it beats into and the Redis check come from
 * common's RedisConfiguration, as the gateway's do.
 */
@Configuration(proxyBeanMethods = false)
public class OpsConfiguration {

    /** Leaves the registry when destroyed: after the claim loop stopped and its jobs ended or were handed back. */
    @Bean(destroyMethod = "leave")
    WorkerHeartbeat workerHeartbeat(WorkerRegistry registry, ActiveJobs active, WorkerIdentity identity,
            WorkerProperties worker, Environments environments, EnvironmentReports reports,
            HeartbeatProperties heartbeat, SessionHostProperties sessions, SandboxProperties sandbox,
            HostedSessions hosted) {
        return new WorkerHeartbeat(registry, active, identity.id(), worker.resolvedConcurrency(),
                environments.defaultEnvironment().image(), reports::current, heartbeat.interval(),
                sessions.under(sandbox).maxSessions(), hosted::size);
    }

    @Bean
    DockerHealthIndicator dockerHealthIndicator(DockerClient docker) {
        return new DockerHealthIndicator(docker);
    }
}
