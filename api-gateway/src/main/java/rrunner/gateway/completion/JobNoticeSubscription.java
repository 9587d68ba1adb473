package rrunner.gateway.completion;

import io.lettuce.core.RedisClient;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.List;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import rrunner.common.job.JobId;
import rrunner.common.session.SessionId;
import rrunner.common.queue.JobQueue;

/**
 * This instance's one subscription to the completion, event-notice, session-notice and file-reply channels, on a
 * connection of its own (a subscribed connection can run no other command). However many callers wait or stream,
 * the gateway holds this one connection for them; the listeners it feeds read Redis elsewhere, off the Lettuce
 * event loop.
 */
@Component
public class JobNoticeSubscription extends RedisPubSubAdapter<String, String> implements SmartLifecycle {

    /** Boot's web server starts (and gracefully stops) in this phase. */
    private static final int WEB_SERVER_PHASE = SmartLifecycle.DEFAULT_PHASE - 2048;
    /** Completions, event notices, session notices and file replies. */
    private static final int CHANNELS = 4;

    private final RedisClient client;
    private final List<JobNoticeListener> listeners;
    private final String completions;
    private final String eventNotices;
    private final String sessionNotices;
    private final String fileReplies;
    private volatile StatefulRedisPubSubConnection<String, String> connection;

    public JobNoticeSubscription(RedisClient client, List<JobNoticeListener> listeners, JobQueue queue) {
        this.client = client;
        this.listeners = List.copyOf(listeners);
        this.completions = queue.keys().completions();
        this.eventNotices = queue.keys().eventNotices();
        this.sessionNotices = queue.keys().sessionNotices();
        this.fileReplies = queue.keys().fileReplies();
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
        subscribed.sync().subscribe(completions, eventNotices, sessionNotices, fileReplies);
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
        if (sessionNotices.equals(fromChannel)) {
            if (SessionId.isWellFormed(message)) {
                listeners.forEach(listener -> listener.sessionChanged(new SessionId(message)));
            }
            return;
        }
        if (fileReplies.equals(fromChannel)) {
            listeners.forEach(listener -> listener.fileReplied(message));
            return;
        }
        if (!JobId.isWellFormed(message)) {
            return;
        }
        JobId id = new JobId(message);
        if (completions.equals(fromChannel)) {
            listeners.forEach(listener -> listener.finished(id));
        } else if (eventNotices.equals(fromChannel)) {
            listeners.forEach(listener -> listener.eventsAppended(id));
        }
    }

    /**
     * Lettuce subscribes again after every reconnect, confirming each channel with the count subscribed so far;
     * once all are back, listeners re-read what they track, as notices published in between were lost.
     */
    @Override
    public void subscribed(String toChannel, long count) {
        if (count == CHANNELS) {
            listeners.forEach(JobNoticeListener::resubscribed);
        }
    }
}
