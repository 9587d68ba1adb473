package rrunner.common.queue;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import rrunner.common.json.JsonCodec;
import rrunner.common.session.FileReply;
import rrunner.common.session.FileRequest;
import rrunner.common.session.SessionId;
import rrunner.common.session.SessionRecord;
import rrunner.common.session.SessionRefusedException;
import rrunner.common.session.SessionRefusedException.Kind;
import rrunner.common.session.SessionSpec;
import rrunner.common.session.SessionState;

/**
 * The session protocol, the same for gateway and worker: each change is one Lua script, so a cap is never
 * overshot and a session is never half-ended. Execs are jobs ({@link JobQueue#enqueueSessionExec}); the scripts that
 * end a job free its session.
 */
public final class SessionStore {

    /** File requests one worker may have waiting: each holds up to a whole file (base64) in Redis until taken. */
    public static final int MAX_FILE_REQUESTS_WAITING = 16;
    /** Keeps a snapshot past its move deadline for a worker that claimed the session just before it. */
    private static final Duration SNAPSHOT_GRACE = Duration.ofMinutes(5);

    /** How a live session may be ended, checked in the same step that ends it. */
    public enum Condition {
        /** Whatever it is doing. */
        ALWAYS,
        /** Only while no worker took it: a start that waited too long. */
        UNCLAIMED,
        /** Only if it is idle and past its expiry. */
        IDLE
    }

    private final RedisKeys keys;
    private final QueuePolicy policy;
    private final RedisReactiveCommands<String, String> redis;
    private final LuaScript open;
    private final LuaScript claim;
    private final LuaScript ready;
    private final LuaScript end;
    private final LuaScript keepalive;
    private final LuaScript rescue;
    private final LuaScript file;
    private final LuaScript move;

    public SessionStore(RedisKeys keys, QueuePolicy policy, RedisReactiveCommands<String, String> redis) {
        this.keys = keys;
        this.policy = policy;
        this.redis = redis;
        this.open = LuaScript.load("session_open", keys);
        this.claim = LuaScript.load("session_claim", keys);
        this.ready = LuaScript.load("session_ready", keys);
        this.end = LuaScript.load("session_end", keys);
        this.keepalive = LuaScript.load("session_keepalive", keys);
        this.rescue = LuaScript.load("session_rescue", keys);
        this.file = LuaScript.load("session_file", keys);
        this.move = LuaScript.load("session_move", keys);
    }

    public RedisKeys keys() {
        return keys;
    }

    /**
     * Stores a new session of {@code owner} and queues its start; fails with {@link SessionRefusedException} when
     * the owner has {@code ownerCap} live sessions or the live workers (beating within {@code workerMaxAge}) have no
     * room for another.
     */
    public Mono<SessionRecord> open(SessionId id, String owner, SessionSpec spec, Duration maxLifetime, int ownerCap,
            Duration workerMaxAge) {
        return open.<List<Object>>run(redis, ScriptOutputType.MULTI,
                        new String[] {keys.session(id), keys.liveSessionsOf(owner), keys.sessionsOf(owner),
                            keys.sessionOpens(), keys.sessionOpenSignal(), keys.workers()},
                        id.value(), owner, JsonCodec.write(spec), Long.toString(spec.ttlSeconds() * 1000),
                        Long.toString(maxLifetime.toMillis()), Integer.toString(ownerCap),
                        Long.toString(workerMaxAge.toMillis()))
                .next()
                .flatMap(reply -> switch ((String) reply.get(0)) {
                    case "ok" -> find(id);
                    case "owner" -> Mono.error(SessionRefusedException.overLimit(Kind.OWNER_LIMIT,
                            (Long) reply.get(1), (Long) reply.get(2)));
                    default -> Mono.error(SessionRefusedException.overLimit(Kind.FLEET_LIMIT,
                            (Long) reply.get(1), (Long) reply.get(2)));
                });
    }

    /** The stored session, live or recently ended; empty when unknown or forgotten. */
    public Mono<SessionRecord> find(SessionId id) {
        return redis.hgetall(keys.session(id))
                .collectMap(kv -> kv.getKey(), kv -> kv.getValue())
                .filter(hash -> SessionField.STATE.in(hash) != null)
                .map(hash -> toRecord(id, hash));
    }

    /** The session if {@code owner} owns it; empty otherwise, so another owner's id reads as unknown. */
    public Mono<SessionRecord> findOwned(SessionId id, String owner) {
        return find(id).filter(session -> session.owner().equals(owner));
    }

    /** The owner's sessions, live or recently ended, oldest first; forgets ids whose session was forgotten. */
    public Flux<SessionRecord> listOwned(String owner) {
        return redis.zrange(keys.sessionsOf(owner), 0, -1)
                .concatMap(id -> find(new SessionId(id))
                        .switchIfEmpty(redis.zrem(keys.sessionsOf(owner), id).then(Mono.empty())));
    }

    /**
     * Ends a live session of {@code owner} (null for any owner) as {@code to}, if {@code condition} holds. Returns
     * the state it left; empty when it had already ended or the condition did not hold; fails with
     * {@link SessionRefusedException#notFound} when there is no such session for that owner.
     */
    public Mono<SessionState> end(SessionId id, SessionState to, String reason, Condition condition, String owner) {
        String when = switch (condition) {
            case ALWAYS -> "";
            case UNCLAIMED -> "unclaimed";
            case IDLE -> "idle";
        };
        return end(id, to, reason, when, owner);
    }

    /** Ends a session as lost if it still lives on {@code workerId}: what a worker does with the sessions it holds. */
    public Mono<SessionState> endOnWorker(SessionId id, String workerId, String reason) {
        return end(id, SessionState.LOST, reason, "worker:" + workerId, null);
    }

    private Mono<SessionState> end(SessionId id, SessionState to, String reason, String condition, String owner) {
        return end.<String>run(redis, ScriptOutputType.VALUE, new String[] {keys.session(id)},
                        id.value(), to.wireName(), reason, condition, owner == null ? "" : owner,
                        Long.toString(policy.resultTtl().toSeconds()), keys.sessionNotices(), keys.completions(),
                        Integer.toString(policy.eventsMaxLength()))
                .next()
                .flatMap(left -> switch (left) {
                    case "missing" -> Mono.error(SessionRefusedException.notFound(id));
                    case "" -> Mono.empty();
                    default -> Mono.just(SessionState.fromWireName(left));
                });
    }

    /** Starts a live session's idle time again; returns its new expiry. */
    public Mono<Instant> keepalive(SessionId id, String owner) {
        return keepalive.<List<Object>>run(redis, ScriptOutputType.MULTI, new String[] {keys.session(id)}, owner)
                .next()
                .flatMap(reply -> switch ((String) reply.get(0)) {
                    case "ok" -> Mono.just(Instant.ofEpochMilli((Long) reply.get(1)));
                    case "ended" -> Mono.error(SessionRefusedException.ended(id,
                            SessionState.fromWireName((String) reply.get(1)), (String) reply.get(2)));
                    default -> Mono.error(SessionRefusedException.notFound(id));
                });
    }

    /** Takes the oldest session waiting to start, placing it on {@code workerId}; empty when none waits. */
    public Mono<ClaimedSession> claimOpen(String workerId) {
        return claim.<List<Object>>run(redis, ScriptOutputType.MULTI,
                        new String[] {keys.sessionOpens(), keys.sessionOpenSignal(), keys.workerSessions(workerId)},
                        workerId)
                .next()
                .filter(reply -> !reply.isEmpty())
                .map(reply -> new ClaimedSession(new SessionId((String) reply.get(0)),
                        JsonCodec.read((String) reply.get(1), SessionSpec.class),
                        Instant.ofEpochMilli((Long) reply.get(2)), (Long) reply.get(3) == 1));
    }

    /** The worker started the session's R in {@code imageId}; false when the session ended meanwhile. */
    public Mono<Boolean> ready(SessionId id, String workerId, String imageId) {
        return ready.<Long>run(redis, ScriptOutputType.INTEGER, new String[] {keys.session(id)},
                        id.value(), workerId, imageId, keys.sessionNotices())
                .next()
                .map(done -> done == 1);
    }

    /**
     * Hands a session that {@code workerId}, shutting down, saved as {@code snapshot} back to start on another worker,
     * which restores it; if none did by {@code deadline}, the rescuer ends it lost. False, with nothing stored, when
     * the session is not idle on that worker (it ended, or its exec runs).
     */
    public Mono<Boolean> move(SessionId id, String workerId, byte[] snapshot, Instant deadline) {
        long ttl = Math.max(1, Duration.between(Instant.now(), deadline).toMillis()) + SNAPSHOT_GRACE.toMillis();
        return redis.psetex(keys.sessionSnapshot(id), ttl, Base64.getEncoder().encodeToString(snapshot))
                .then(move.<Long>run(redis, ScriptOutputType.INTEGER,
                        new String[] {keys.session(id), keys.sessionSnapshot(id), keys.sessionOpens(),
                            keys.sessionOpenSignal(), keys.workerSessions(workerId)},
                        id.value(), workerId, Long.toString(deadline.toEpochMilli())).next())
                .map(moved -> moved == 1);
    }

    /** What a moving session's old worker saved of it; empty once it was restored, or it ended. */
    public Mono<byte[]> snapshot(SessionId id) {
        return redis.get(keys.sessionSnapshot(id)).map(Base64.getDecoder()::decode);
    }

    /** Records how much of its workspace a session allocates, as measured after an exec. */
    public Mono<Void> recordWorkspaceBytes(SessionId id, long bytes) {
        return redis.hset(keys.session(id), SessionField.WORKSPACE_BYTES.wireName(), Long.toString(bytes)).then();
    }

    /**
     * Queues a file request of {@code owner} on the worker its session lives on; fails with {@link
     * SessionRefusedException} when the session is not the owner's, ended, or still starting, or its worker has
     * {@link #MAX_FILE_REQUESTS_WAITING} waiting. The request is
     * forgotten once its deadline passed.
     */
    public Mono<Void> requestFile(FileRequest request, String owner) {
        SessionId id = new SessionId(request.session());
        long ttl = Math.max(1, Duration.between(Instant.now(), request.deadline()).toMillis());
        return file.<List<Object>>run(redis, ScriptOutputType.MULTI, new String[] {keys.session(id)},
                        owner, JsonCodec.write(request), Long.toString(ttl),
                        Integer.toString(MAX_FILE_REQUESTS_WAITING))
                .next()
                .flatMap(reply -> switch ((String) reply.get(0)) {
                    case "ok" -> Mono.<Void>empty();
                    case "ended" -> Mono.error(SessionRefusedException.ended(id,
                            SessionState.fromWireName((String) reply.get(1)), (String) reply.get(2)));
                    case "busy" -> Mono.error(SessionRefusedException.busy(id,
                            SessionState.fromWireName((String) reply.get(1))));
                    case "backlog" -> Mono.error(SessionRefusedException.filesBacklog(id,
                            MAX_FILE_REQUESTS_WAITING));
                    default -> Mono.error(SessionRefusedException.notFound(id));
                });
    }

    /** The oldest file request queued for sessions on {@code workerId}; empty when none waits. */
    public Mono<FileRequest> takeFileRequest(String workerId) {
        return redis.rpop(keys.workerFileRequests(workerId)).map(json -> JsonCodec.read(json, FileRequest.class));
    }

    /** Stores the answer to a file request until its caller stops waiting, then tells the gateways. */
    public Mono<Void> replyToFile(FileRequest request, FileReply reply) {
        long ttl = Math.max(1, Duration.between(Instant.now(), request.deadline()).toMillis());
        return redis.psetex(keys.fileReply(request.id()), ttl, JsonCodec.write(reply))
                .then(redis.publish(keys.fileReplies(), request.id()))
                .then();
    }

    /** The answer to a file request, once a worker gave it; empty before. */
    public Mono<FileReply> fileReply(String requestId) {
        return redis.get(keys.fileReply(requestId)).map(json -> JsonCodec.read(json, FileReply.class));
    }

    /** Ends as lost every live session whose worker stopped beating; returns how many. */
    public Mono<Long> rescueLost() {
        return rescue.<Long>run(redis, ScriptOutputType.INTEGER, new String[0],
                        Long.toString(policy.resultTtl().toSeconds()), keys.sessionNotices(), keys.completions(),
                        Integer.toString(policy.eventsMaxLength()))
                .next();
    }

    /** How many live sessions are in each live state ({@code starting}, {@code ready}, {@code busy}). */
    public Mono<Map<SessionState, Long>> liveCounts() {
        return redis.smembers(keys.liveSessions())
                .flatMap(id -> redis.hget(keys.session(new SessionId(id)), SessionField.STATE.wireName()))
                .map(SessionState::fromWireName)
                .collect(() -> new EnumMap<>(SessionState.class),
                        (counts, state) -> counts.merge(state, 1L, Long::sum));
    }

    /** The ids of the live sessions placed on {@code workerId}. */
    public Flux<SessionId> onWorker(String workerId) {
        return redis.smembers(keys.workerSessions(workerId)).map(SessionId::new);
    }

    private static SessionRecord toRecord(SessionId id, Map<String, String> hash) {
        return new SessionRecord(id,
                SessionField.OWNER.in(hash),
                SessionState.fromWireName(SessionField.STATE.in(hash)),
                JsonCodec.read(SessionField.SPEC.in(hash), SessionSpec.class),
                instant(SessionField.CREATED_AT.in(hash)),
                instant(SessionField.LAST_USED_AT.in(hash)),
                instant(SessionField.EXPIRES_AT.in(hash)),
                instant(SessionField.MAX_EXPIRES_AT.in(hash)),
                number(SessionField.EXEC_COUNT.in(hash)),
                number(SessionField.WORKSPACE_BYTES.in(hash)),
                SessionField.WORKER.in(hash),
                SessionField.IMAGE_ID.in(hash),
                SessionField.REASON.in(hash),
                instant(SessionField.ENDED_AT.in(hash)),
                SessionField.CURRENT_JOB.in(hash));
    }

    private static Instant instant(String millis) {
        return millis == null ? null : Instant.ofEpochMilli(Long.parseLong(millis));
    }

    private static long number(String value) {
        return value == null ? 0 : Long.parseLong(value);
    }
}
