package rrunner.worker.consume;

import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import rrunner.common.job.JobId;

/**
 * Kills a running job's container as soon as a cancel is published. The lease renewal also reports cancels,
 * so a message missed during a reconnect only delays the kill by one renew interval.
 */
public class CancelListener extends RedisPubSubAdapter<String, String> {

    private final ActiveJobs active;
    private final JobStopper stopper;

    public CancelListener(ActiveJobs active, JobStopper stopper) {
        this.active = active;
        this.stopper = stopper;
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
        // why the stopper: Lettuce calls listeners on its event loop, and the stopper kills off it
        active.get(new JobId(message)).ifPresent(job -> stopper.stop(job, StopReason.CANCEL_REQUESTED));
    }
}
