package rrunner.gateway.completion;

import io.lettuce.core.RedisClient;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import rrunner.common.job.JobId;
import rrunner.common.queue.JobQueue;

/**
 * This instance's one subscription to the completion channel, on a connection of its own (a subscribed
 * connection can run no other command). Its listener runs on a Lettuce event loop, so it only hands job ids to
 * {@link CompletionWaiters}, which reads them elsewhere.
 */
@Component
public class CompletionSubscription extends RedisPubSubAdapter<String, String> implements SmartLifecycle {

    /** Boot's web server starts (and gracefully stops) in this phase. */
    private static final int WEB_SERVER_PHASE = SmartLifecycle.DEFAULT_PHASE - 2048;

    private final RedisClient client;
    private final CompletionWaiters waiters;
    private final String channel;
    private volatile StatefulRedisPubSubConnection<String, String> connection;

    public CompletionSubscription(RedisClient client, CompletionWaiters waiters, JobQueue queue) {
        this.client = client;
        this.waiters = waiters;
        this.channel = queue.keys().completions();
    }

    /** Subscribes before the web server starts and unsubscribes after it stopped taking requests. */
    @Override
    public int getPhase() {
        return WEB_SERVER_PHASE - 1;
    }

    /** Runs on the startup thread, where waiting for Redis is fine: the gateway is useless without it. */
    @Override
    public void start() {
        StatefulRedisPubSubConnection<String, String> subscribed = client.connectPubSub();
        subscribed.addListener(this);
        subscribed.sync().subscribe(channel);
        connection = subscribed;
    }

    @Override
    public void stop() {
        StatefulRedisPubSubConnection<String, String> subscribed = connection;
        connection = null;
        if (subscribed != null) {
            subscribed.close();
        }
    }

    @Override
    public boolean isRunning() {
        return connection != null;
    }

    @Override
    public void message(String fromChannel, String message) {
        if (channel.equals(fromChannel) && JobId.isWellFormed(message)) {
            waiters.completed(new JobId(message));
        }
    }

    /** Lettuce subscribes again after every reconnect; anything published in between was lost. */
    @Override
    public void subscribed(String toChannel, long count) {
        if (channel.equals(toChannel)) {
            waiters.recheckAll();
        }
    }
}
