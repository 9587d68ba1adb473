package rrunner.gateway.ops;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;
import rrunner.common.queue.QueueStats;
import rrunner.common.queue.TenantLoad;
import rrunner.common.queue.WorkerRegistry.Heartbeat;
import rrunner.common.queue.WorkerRegistry.LiveWorker;

/** The body of {@code GET /queue}: the queue's figures, those of the tenants shown, and the live workers, by id. */
record QueueStatus(
        @JsonProperty("waiting") long waiting,
        @JsonProperty("retrying") long retrying,
        @JsonProperty("running") long running,
        @JsonProperty("oldest_waiting_seconds") double oldestWaitingSeconds,
        @JsonProperty("tenants") List<TenantLoad> tenants,
        @JsonProperty("workers") List<Worker> workers) {

    /** @param shown which tenants' figures the caller may see */
    static QueueStatus of(QueueStats stats, List<LiveWorker> live, Predicate<TenantLoad> shown) {
        return new QueueStatus(stats.waiting(), stats.retrying(), stats.running(),
                stats.oldestWaiting().toMillis() / 1000.0, stats.tenants().stream().filter(shown).toList(),
                live.stream().map(Worker::of).toList());
    }

    /** One live worker as of its last heartbeat. */
    record Worker(
            @JsonProperty("id") String id,
            @JsonProperty("last_heartbeat") Instant lastHeartbeat,
            @JsonProperty("concurrency") int concurrency,
            @JsonProperty("busy") int busy,
            @JsonProperty("free") int free,
            @JsonProperty("image") String image,
            @JsonProperty("version") String version,
            @JsonProperty("started_at") Instant startedAt,
            @JsonProperty("session_slots") int sessionSlots,
            @JsonProperty("sessions") int sessions) {

        static Worker of(LiveWorker live) {
            Heartbeat beat = live.heartbeat();
            return new Worker(beat.workerId(), live.lastHeartbeat(), beat.concurrency(), beat.busy(), beat.free(),
                    beat.image(), beat.version(), beat.startedAt(), beat.sessionSlots(), beat.sessions());
        }
    }
}
