package rrunner.gateway.completion;

import rrunner.common.job.JobId;
import rrunner.common.session.SessionId;

/**
 * Something in this gateway that reacts to the queue's pub/sub notices. Called on a Lettuce event loop, so an
 * implementation only hands the id on and never blocks or waits for Redis there.
 */
public interface JobNoticeListener {

    /** The job reached a terminal state; its {@code finished} event is already stored. */
    void finished(JobId id);

    /** The job's event stream grew. */
    default void eventsAppended(JobId id) {
    }

    /** The session became ready or ended. */
    default void sessionChanged(SessionId id) {
    }

    /** A worker answered the session file request {@code requestId}. */
    default void fileReplied(String requestId) {
    }

    /** The subscription is back after a reconnect; whatever was published meanwhile was lost. */
    void resubscribed();
}
