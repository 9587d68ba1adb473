package rrunner.common.queue;

import static rrunner.common.queue.WorkerField.BUSY;
import static rrunner.common.queue.WorkerField.CONCURRENCY;
import static rrunner.common.queue.WorkerField.ENVIRONMENTS;
import static rrunner.common.queue.WorkerField.FREE;
import static rrunner.common.queue.WorkerField.ID;
import static rrunner.common.queue.WorkerField.IMAGE;
import static rrunner.common.queue.WorkerField.LAST_HEARTBEAT;
import static rrunner.common.queue.WorkerField.SESSIONS;
import static rrunner.common.queue.WorkerField.SESSION_SLOTS;
import static rrunner.common.queue.WorkerField.STARTED_AT;
import static rrunner.common.queue.WorkerField.VERSION;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;
import rrunner.common.environment.EnvironmentReport;
import rrunner.common.json.JsonCodec;
import tools.jackson.core.type.TypeReference;

/**
 * Which workers are alive and how busy they are, from the heartbeat each writes every few seconds: the sorted
 * set {@link RedisKeys#workers()} scores each worker id by its last heartbeat, and the hash
 * {@link RedisKeys#worker(String)} holds its figures and expires after {@value #MISSED_BEATS} missed heartbeats.
 * Heartbeat times are Redis's clock, like leases, so clock skew between hosts can't make a worker look dead.
 */
public final class WorkerRegistry {

    /** Heartbeats a worker may miss (a GC pause, a slow Redis) before it counts as gone. */
    public static final int MISSED_BEATS = 3;

    private final RedisKeys keys;
    private final RedisReactiveCommands<String, String> redis;
    private final LuaScript beat;
    private final LuaScript live;

    public WorkerRegistry(RedisKeys keys, RedisReactiveCommands<String, String> redis) {
        this.keys = keys;
        this.redis = redis;
        this.beat = LuaScript.load("beat", keys);
        this.live = LuaScript.load("live", keys);
    }

    /** How long a worker beating every {@code interval} counts as live after its last heartbeat. */
    public static Duration maxAge(Duration interval) {
        return interval.multipliedBy(MISSED_BEATS);
    }

    /** Records a heartbeat sent every {@code interval}; returns its time by Redis's clock. */
    public Mono<Instant> beat(Heartbeat heartbeat, Duration interval) {
        String[] args = {heartbeat.workerId(), Long.toString(maxAge(interval).toMillis()),
                ID.wireName(), heartbeat.workerId(),
                CONCURRENCY.wireName(), Integer.toString(heartbeat.concurrency()),
                BUSY.wireName(), Integer.toString(heartbeat.busy()),
                FREE.wireName(), Integer.toString(heartbeat.free()),
                STARTED_AT.wireName(), Long.toString(heartbeat.startedAt().toEpochMilli()),
                IMAGE.wireName(), heartbeat.image(),
                VERSION.wireName(), heartbeat.version(),
                ENVIRONMENTS.wireName(), JsonCodec.write(heartbeat.environments()),
                SESSION_SLOTS.wireName(), Integer.toString(heartbeat.sessionSlots()),
                SESSIONS.wireName(), Integer.toString(heartbeat.sessions())};
        return beat.<Long>run(redis, ScriptOutputType.INTEGER,
                        new String[] {keys.workers(), keys.worker(heartbeat.workerId())}, args)
                .single()
                .map(Instant::ofEpochMilli);
    }

    /** Workers whose last heartbeat is at most {@code maxAge} old, by id; forgets the others. */
    public Mono<List<LiveWorker>> liveWorkers(Duration maxAge) {
        return live.<List<Object>>run(redis, ScriptOutputType.MULTI, new String[] {keys.workers()},
                        Long.toString(maxAge.toMillis()))
                .next()
                .map(hashes -> hashes.stream()
                        .map(hash -> LiveWorker.fromHash(toMap((List<?>) hash)))
                        .sorted(Comparator.comparing(worker -> worker.heartbeat().workerId()))
                        .toList())
                .defaultIfEmpty(List.of());
    }

    /** Forgets a worker at once, as one that shuts down gracefully does instead of waiting to expire. */
    public Mono<Void> remove(String workerId) {
        return Mono.when(redis.zrem(keys.workers(), workerId), redis.del(keys.worker(workerId)));
    }

    private static Map<String, String> toMap(List<?> fieldsAndValues) {
        Map<String, String> hash = new HashMap<>();
        for (int i = 0; i + 1 < fieldsAndValues.size(); i += 2) {
            hash.put((String) fieldsAndValues.get(i), (String) fieldsAndValues.get(i + 1));
        }
        return hash;
    }

    /**
     * What a worker reports about itself.
     *
     * @param concurrency jobs it runs at once
     * @param busy jobs it runs now
     * @param startedAt when the worker process started
     * @param image the R image it runs scripts in
     * @param version the worker's build version
     * @param environments how it stands with each environment it serves, by name
     * @param sessionSlots how many sessions it may hold
     * @param sessions how many sessions it holds now
     */
    public record Heartbeat(String workerId, int concurrency, int busy, Instant startedAt, String image,
            String version, Map<String, EnvironmentReport> environments, int sessionSlots, int sessions) {

        public Heartbeat {
            environments = Map.copyOf(environments);
        }

        /** Slots it could fill now; never negative, though a job may briefly outlive its slot at shutdown. */
        public int free() {
            return Math.max(0, concurrency - busy);
        }
    }

    /** A worker's last heartbeat and when Redis received it. */
    public record LiveWorker(Heartbeat heartbeat, Instant lastHeartbeat) {

        private static final TypeReference<Map<String, EnvironmentReport>> REPORTS = new TypeReference<>() { };

        /** why tolerated absent: a worker from before environments reports none, and serves only its own image. */
        private static Map<String, EnvironmentReport> environments(String json) {
            return json == null ? Map.of() : JsonCodec.read(json, REPORTS);
        }

        /** why tolerated absent: a worker from before sessions holds none. */
        private static int count(String value) {
            return value == null ? 0 : Integer.parseInt(value);
        }

        static LiveWorker fromHash(Map<String, String> hash) {
            return new LiveWorker(
                    new Heartbeat(ID.in(hash), Integer.parseInt(CONCURRENCY.in(hash)),
                            Integer.parseInt(BUSY.in(hash)),
                            Instant.ofEpochMilli(Long.parseLong(STARTED_AT.in(hash))),
                            IMAGE.in(hash), VERSION.in(hash), environments(ENVIRONMENTS.in(hash)),
                            count(SESSION_SLOTS.in(hash)), count(SESSIONS.in(hash))),
                    Instant.ofEpochMilli(Long.parseLong(LAST_HEARTBEAT.in(hash))));
        }
    }
}
