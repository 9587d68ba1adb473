package rrunner.worker.consume;

import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import reactor.core.scheduler.Schedulers;
import rrunner.common.job.JobId;
import rrunner.worker.sandbox.ContainerRunner;

/**
 * Kills a running job's container as soon as a cancel is published. The lease renewal also reports cancels,
 * so a message missed during a reconnect only delays the kill by one renew interval.
 */
public class CancelListener extends RedisPubSubAdapter<String, String> {

    private final ActiveJobs active;
    private final ContainerRunner runner;

    public CancelListener(ActiveJobs active, ContainerRunner runner) {
        this.active = active;
        this.runner = runner;
    }

    public void subscribe(StatefulRedisPubSubConnection<String, String> connection, String channel) {
        connection.addListener(this);
        connection.sync().subscribe(channel);
    }

    @Override
    public void message(String channel, String message) {
        if (!JobId.isWellFormed(message)) {
            return;
        }
        JobId id = new JobId(message);
        if (active.contains(id)) {
            // why: Lettuce calls listeners on its event loop; Docker calls block, so they go elsewhere
            Schedulers.boundedElastic().schedule(() -> runner.cancel(id));
        }
    }
}
