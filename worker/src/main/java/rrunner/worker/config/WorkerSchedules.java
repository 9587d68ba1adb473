package rrunner.worker.config;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import rrunner.common.redis.QueueProperties;
import rrunner.worker.consume.JobRescuer;
import rrunner.worker.consume.LeaseRenewer;
import rrunner.worker.images.ImageProperties;
import rrunner.worker.images.InventoryPublisher;
import rrunner.worker.ops.OpsProperties;
import rrunner.worker.ops.WorkerHeartbeat;
import rrunner.worker.reaper.ContainerReaper;
import rrunner.worker.sandbox.DeploymentId;

/** The worker's periodic duties; each first runs at startup, so a restarted worker cleans up before it works. */
@Configuration(proxyBeanMethods = false)
public class WorkerSchedules implements SchedulingConfigurer {

    private final QueueProperties queue;
    private final WorkerProperties worker;
    private final ImageProperties images;
    private final LeaseRenewer renewer;
    private final JobRescuer rescuer;
    private final ContainerReaper reaper;
    private final InventoryPublisher inventory;
    private final OpsProperties ops;
    private final WorkerHeartbeat heartbeat;
    private final DeploymentId deployment;

    public WorkerSchedules(QueueProperties queue, WorkerProperties worker, ImageProperties images,
            LeaseRenewer renewer, JobRescuer rescuer, ContainerReaper reaper, InventoryPublisher inventory,
            OpsProperties ops, WorkerHeartbeat heartbeat, DeploymentId deployment) {
        this.queue = queue;
        this.worker = worker;
        this.images = images;
        this.renewer = renewer;
        this.rescuer = rescuer;
        this.reaper = reaper;
        this.inventory = inventory;
        this.ops = ops;
        this.heartbeat = heartbeat;
        this.deployment = deployment;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedDelayTask(renewer::renewAll, queue.leaseRenewInterval());
        registrar.addFixedDelayTask(rescuer::rescueExpired, worker.rescueInterval());
        // why before the slow ones: with a small pool, a new worker should show up as live without waiting on a pull
        registrar.addFixedDelayTask(heartbeat::beat, ops.heartbeatInterval());
        registrar.addFixedDelayTask(deployment::reassert, worker.reaperInterval());
        registrar.addFixedDelayTask(reaper::reap, worker.reaperInterval());
        registrar.addFixedDelayTask(inventory::refresh, images.pullInterval());
    }
}
