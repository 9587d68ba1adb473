package rrunner.worker.config;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.transport.DockerHttpClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import rrunner.common.environment.Environments;
import rrunner.common.queue.JobQueue;
import rrunner.common.queue.SessionStore;
import rrunner.common.queue.WorkSignal;
import rrunner.common.queue.WorkerRegistry;
import rrunner.common.redis.HeartbeatProperties;
import rrunner.common.redis.QueueProperties;
import rrunner.worker.consume.ActiveJobs;
import rrunner.worker.consume.CancelListener;
import rrunner.worker.consume.ClaimLoop;
import rrunner.worker.consume.JobExecution;
import rrunner.worker.consume.JobMetrics;
import rrunner.worker.consume.JobRescuer;
import rrunner.worker.consume.JobStopper;
import rrunner.worker.consume.LeaseRenewer;
import rrunner.worker.consume.SessionExecution;
import rrunner.worker.consume.SessionFileRequests;
import rrunner.worker.consume.SessionLoop;
import rrunner.worker.images.EnvironmentReports;
import rrunner.worker.images.ImagePuller;
import rrunner.worker.images.InventoryPublisher;
import rrunner.worker.images.PackageInventory;
import rrunner.worker.pool.PoolProperties;
import rrunner.worker.pool.SandboxPools;
import rrunner.worker.reaper.ContainerReaper;
import rrunner.worker.sandbox.ContainerRunner;
import rrunner.worker.sandbox.DeploymentId;
import rrunner.worker.sandbox.SandboxOwner;
import rrunner.worker.sandbox.SandboxPreparer;
import rrunner.worker.sandbox.SandboxProperties;
import rrunner.worker.session.HostedSessions;
import rrunner.worker.session.SessionHostProperties;

/** Wires the worker: sandbox and images on Docker, and the consume loop on Redis. */
@Configuration(proxyBeanMethods = false)
public class WorkerConfiguration {

    @Bean
    WorkerIdentity workerIdentity(WorkerProperties worker) {
        return new WorkerIdentity(worker.resolvedId());
    }

    @Bean
    DeploymentId deploymentId(QueueProperties queue, StatefulRedisConnection<String, String> redis) {
        return DeploymentId.claim(queue.keys(), redis.reactive());
    }

    @Bean
    SandboxOwner sandboxOwner(DeploymentId deployment, WorkerIdentity identity) {
        return new SandboxOwner(deployment.value(), identity.id());
    }

    /**
     * Sandboxes prepared ahead of their jobs, a pool per environment; closed after the claim loop, so running jobs
     * keep theirs.
     */
    @Bean(destroyMethod = "close")
    SandboxPools sandboxPools(DockerClient docker, DockerHttpClient transport, SandboxProperties sandbox,
            Environments environments, PoolProperties pool, SandboxOwner owner, WorkerProperties worker,
            MeterRegistry meters) {
        SandboxPools sandboxes = new SandboxPools(new SandboxPreparer(docker, transport, sandbox, owner),
                environments, pool, worker.resolvedConcurrency(), meters);
        sandboxes.start();
        return sandboxes;
    }

    @Bean
    ContainerRunner containerRunner(DockerClient docker, DockerHttpClient transport, SandboxProperties sandbox,
            Environments environments, SandboxOwner owner, MeterRegistry meters, SandboxPools pools) {
        return new ContainerRunner(docker, transport, sandbox, environments, owner, meters, pools);
    }

    @Bean
    PackageInventory packageInventory(DockerClient docker, SandboxProperties sandbox, SandboxOwner owner) {
        return new PackageInventory(docker, sandbox, owner);
    }

    @Bean
    EnvironmentReports environmentReports(Environments environments) {
        return new EnvironmentReports(environments);
    }

    @Bean
    InventoryPublisher inventoryPublisher(ImagePuller puller, PackageInventory inventory,
            StatefulRedisConnection<String, String> redis, QueueProperties queue, Environments environments,
            EnvironmentReports reports) {
        return new InventoryPublisher(puller, inventory, redis.reactive(), queue.keys(), environments, reports);
    }

    @Bean
    ActiveJobs activeJobs() {
        return new ActiveJobs();
    }

    @Bean
    JobExecution jobExecution(JobQueue queue, ContainerRunner runner, ImagePuller puller, PackageInventory inventory,
            ActiveJobs active, JobMetrics metrics) {
        return new JobExecution(queue, runner, puller, inventory, active, metrics);
    }

    /** BLPOP holds its connection while it waits, so the wake-up signal gets a connection of its own. */
    @Bean(destroyMethod = "close")
    @Qualifier("blocking")
    StatefulRedisConnection<String, String> blockingRedisConnection(RedisClient client) {
        return client.connect();
    }

    @Bean
    HostedSessions hostedSessions() {
        return new HostedSessions();
    }

    @Bean
    JobStopper jobStopper(ContainerRunner runner, HostedSessions sessions) {
        return new JobStopper(runner, sessions);
    }

    @Bean
    SessionExecution sessionExecution(JobQueue queue, SessionStore sessions, HostedSessions hosted,
            Environments environments, PackageInventory inventory, ActiveJobs active, WorkerIdentity identity) {
        return new SessionExecution(queue, sessions, hosted, environments, inventory, active, identity.id());
    }

    /** Its own blocking connection: its BLPOP waits on this worker's lane while the claim loop waits on the queue. */
    @Bean(destroyMethod = "close")
    @Qualifier("sessionBlocking")
    StatefulRedisConnection<String, String> sessionBlockingRedisConnection(RedisClient client) {
        return client.connect();
    }

    @Bean
    SessionLoop sessionLoop(JobQueue queue, SessionStore sessions, HostedSessions hosted,
            SessionExecution execution, ActiveJobs active,
            @Qualifier("sessionBlocking") StatefulRedisConnection<String, String> blocking, DockerClient docker,
            SandboxProperties sandbox, Environments environments, ImagePuller puller, SandboxOwner owner,
            WorkerIdentity identity, SessionHostProperties settings, WorkerProperties worker) {
        String id = identity.id();
        return new SessionLoop(queue, sessions, hosted, execution,
                new SessionFileRequests(sessions, hosted, id), active,
                new WorkSignal(blocking.reactive(), queue.keys().workerLaneSignal(id)),
                new WorkSignal(blocking.reactive(), queue.keys().workerLaneSignal(id),
                        queue.keys().sessionOpenSignal()),
                new SessionLoop.Starter(docker, sandbox, environments, puller, owner), id, settings.under(sandbox),
                worker.pollInterval());
    }

    @Bean
    ClaimLoop claimLoop(JobQueue queue, @Qualifier("blocking") StatefulRedisConnection<String, String> blocking,
            JobExecution execution, ActiveJobs active, JobStopper stopper, WorkerIdentity identity,
            WorkerProperties worker) {
        return new ClaimLoop(queue, new WorkSignal(queue.keys(), blocking.reactive()), execution, active, stopper,
                identity.id(), worker.resolvedConcurrency(), worker.pollInterval(), worker.shutdownGrace());
    }

    @Bean
    LeaseRenewer leaseRenewer(JobQueue queue, ActiveJobs active, JobStopper stopper, QueueProperties queueSettings,
            WorkerProperties worker) {
        return new LeaseRenewer(queue, active, stopper, queueSettings.lease(), queueSettings.leaseRenewInterval(),
                worker.overrunGrace());
    }

    @Bean
    JobRescuer jobRescuer(JobQueue queue, SessionStore sessions) {
        return new JobRescuer(queue, sessions);
    }

    @Bean
    ContainerReaper containerReaper(DockerClient docker, JobQueue queue, WorkerRegistry workers,
            HeartbeatProperties heartbeat, PoolProperties pool, SandboxOwner owner) {
        return new ContainerReaper(docker, queue, workers, heartbeat.workerMaxAge(),
                ContainerReaper.joblessMaxAge(pool.maxIdle()), SandboxOwner.deploymentScope(owner.deployment()));
    }

    @Bean(destroyMethod = "close")
    StatefulRedisPubSubConnection<String, String> cancelSubscription(RedisClient client, QueueProperties queue,
            ActiveJobs active, JobStopper stopper) {
        StatefulRedisPubSubConnection<String, String> connection = client.connectPubSub();
        new CancelListener(active, stopper).subscribe(connection, queue.keys().cancellations());
        return connection;
    }
}
