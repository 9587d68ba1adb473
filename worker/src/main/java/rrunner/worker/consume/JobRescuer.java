package rrunner.worker.consume;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import rrunner.common.queue.JobQueue;
import rrunner.common.queue.SessionStore;

/**
 * Ends claims whose lease expired, i.e. whose worker died: requeued, cancelled, or failed at the attempt limit; and
 * ends as lost the sessions of workers whose heartbeat expired.
 * Every worker runs it; the Lua script makes concurrent rescues harmless.
 */
public class JobRescuer {

    private static final Logger log = LoggerFactory.getLogger(JobRescuer.class);
    private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(5);

    private final JobQueue queue;
    private final SessionStore sessions;

    public JobRescuer(JobQueue queue, SessionStore sessions) {
        this.queue = queue;
        this.sessions = sessions;
    }

    public void rescueExpired() {
        try {
            Long rescued = queue.rescueExpired().block(REDIS_TIMEOUT);
            if (rescued != null && rescued > 0) {
                log.warn("rescued {} job(s) whose worker stopped renewing its lease", rescued);
            }
        } catch (RuntimeException e) {
            log.warn("could not look for expired leases: {}", e.toString());
        }
        try {
            Long lost = sessions.rescueLost().block(REDIS_TIMEOUT);
            if (lost != null && lost > 0) {
                log.warn("{} session(s) lost with a worker that stopped sending heartbeats", lost);
            }
        } catch (RuntimeException e) {
            log.warn("could not look for sessions of gone workers: {}", e.toString());
        }
    }
}
