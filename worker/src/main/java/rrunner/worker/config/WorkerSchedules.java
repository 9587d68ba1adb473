package rrunner.worker.config;

import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import rrunner.common.redis.HeartbeatProperties;
import rrunner.common.redis.QueueProperties;
import rrunner.worker.consume.JobRescuer;
import rrunner.worker.consume.LeaseRenewer;
import rrunner.worker.consume.LifelineSchedule;
import rrunner.worker.consume.LifelineSchedule.Duty;
import rrunner.worker.images.ImageProperties;
import rrunner.worker.images.InventoryPublisher;
import rrunner.worker.ops.WorkerHeartbeat;
import rrunner.worker.reaper.ContainerReaper;
import rrunner.worker.sandbox.DeploymentId;

/**
 * The worker's periodic duties; each first runs at startup, so a restarted worker cleans up before it works. Those
 * that keep running jobs safe (lease renewal, the lease fence, the heartbeat) run on the {@link LifelineSchedule},
 * which outlives the claim loop's drain at shutdown; the rest on Spring's scheduler, which stops first.
 */
@Configuration(proxyBeanMethods = false)
public class WorkerSchedules implements SchedulingConfigurer {

    private final WorkerProperties worker;
    private final ImageProperties images;
    private final JobRescuer rescuer;
    private final ContainerReaper reaper;
    private final InventoryPublisher inventory;
    private final HeartbeatProperties heartbeatSettings;
    private final DeploymentId deployment;

    public WorkerSchedules(WorkerProperties worker, ImageProperties images, JobRescuer rescuer,
            ContainerReaper reaper, InventoryPublisher inventory, HeartbeatProperties heartbeatSettings,
            DeploymentId deployment) {
        this.worker = worker;
        this.images = images;
        this.rescuer = rescuer;
        this.reaper = reaper;
        this.inventory = inventory;
        this.heartbeatSettings = heartbeatSettings;
        this.deployment = deployment;
    }

    @Bean
    LifelineSchedule lifelineSchedule(QueueProperties queue, LeaseRenewer renewer, WorkerHeartbeat heartbeat) {
        return new LifelineSchedule(List.of(
                new Duty("lease renewal", queue.leaseRenewInterval(), renewer::renewAll),
                new Duty("lease fence", LeaseRenewer.fenceCheckInterval(queue.leaseRenewInterval()),
                        renewer::fenceUnconfirmed),
                new Duty("heartbeat", heartbeatSettings.interval(), heartbeat::beat)));
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedDelayTask(rescuer::rescueExpired, worker.rescueInterval());
        registrar.addFixedDelayTask(deployment::reassert, worker.reaperInterval());
        registrar.addFixedDelayTask(reaper::reap, worker.reaperInterval());
        registrar.addFixedDelayTask(inventory::refresh, images.pullInterval());
        // why as often as the heartbeat: after Redis lost its data, GET /system is back as soon as workers are
        registrar.addFixedDelayTask(inventory::restoreIfMissing, heartbeatSettings.interval());
    }
}
