package rrunner.common.queue;

import io.lettuce.core.KeyValue;
import io.lettuce.core.Range;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import rrunner.common.event.JobEvent;
import rrunner.common.event.JobEventType;
import rrunner.common.job.JobId;
import rrunner.common.job.JobRecord;
import rrunner.common.job.JobSpec;
import rrunner.common.job.JobState;
import rrunner.common.job.RunResult;
import rrunner.common.job.RunTimings;
import rrunner.common.json.JsonCodec;
import rrunner.common.session.SessionId;
import rrunner.common.session.SessionRefusedException;
import rrunner.common.session.SessionState;

/**
 * The queue protocol, the same for gateway and worker. Every state change is one Lua script, so a job is
 * never half-moved; every method is reactive and non-blocking (the worker blocks on its own threads).
 */
public final class JobQueue {

    private static final int RESCUE_BATCH = 100;
    private static final String[] FIELDS_BESIDE_RESULT =
            JobField.BESIDE_RESULT.stream().map(JobField::wireName).toArray(String[]::new);

    private final RedisKeys keys;
    private final QueuePolicy policy;
    private final RedisReactiveCommands<String, String> redis;
    private final LuaScript enqueue;
    private final LuaScript claim;
    private final LuaScript claimLane;
    private final LuaScript renew;
    private final LuaScript finish;
    private final LuaScript release;
    private final LuaScript rescue;
    private final LuaScript cancel;
    private final LuaScript append;
    private final LuaScript sessionExec;
    private final LuaScript stats;

    public JobQueue(RedisKeys keys, QueuePolicy policy, RedisReactiveCommands<String, String> redis) {
        this.keys = keys;
        this.policy = policy;
        this.redis = redis;
        this.enqueue = LuaScript.load("enqueue", keys);
        this.claim = LuaScript.load("claim", keys);
        this.claimLane = LuaScript.load("claim_lane", keys);
        this.renew = LuaScript.load("renew", keys);
        this.finish = LuaScript.load("finish", keys);
        this.release = LuaScript.load("release", keys);
        this.rescue = LuaScript.load("rescue", keys);
        this.cancel = LuaScript.load("cancel", keys);
        this.append = LuaScript.load("append", keys);
        this.sessionExec = LuaScript.load("session_exec", keys);
        this.stats = LuaScript.load("queue_stats", keys);
    }

    public RedisKeys keys() {
        return keys;
    }

    public QueuePolicy policy() {
        return policy;
    }

    /** Stores a job and queues it; fails with {@link QueueFullException} at the admission limit. */
    public Mono<JobRecord> enqueue(JobSpec spec) {
        return enqueue(spec, TenantPolicy.UNLIMITED, null).map(Enqueued::job);
    }

    /**
     * Stores a job and queues it in its tenant's line, counted in its tenant's usage, unless {@code key} (null for
     * none) already made a job of its tenant: then that job, replayed as it was stored, when its spec is this one,
     * else {@link IdempotencyKeyReusedException}. Fails with {@link QueueFullException} at the admission limit, and
     * with {@link TenantQueueFullException} when its tenant already has {@code policy.maxQueued()} jobs waiting. The
     * caps and the key are checked in the step that stores the job, so parallel submits never pass a cap together
     * and parallel submits with one key make one job; a submit refused stores no key. The policy's weight and
     * running cap are what the fair claim goes by from now on.
     */
    public Mono<Enqueued> enqueue(JobSpec spec, TenantPolicy policy, IdempotencyKey key) {
        return enqueue(spec, policy, key, null);
    }

    /**
     * As {@link #enqueue(JobSpec, TenantPolicy, IdempotencyKey)}, with {@code webhookUrl} (null for none), already
     * checked, to tell when the job ends: stored in the step that stores the job, and part of what an idempotency key
     * compares.
     */
    public Mono<Enqueued> enqueue(JobSpec spec, TenantPolicy policy, IdempotencyKey key, String webhookUrl) {
        JobId id = JobId.random();
        String json = JsonCodec.write(spec);
        List<String> scriptKeys = new ArrayList<>(List.of(keys.job(id), keys.events(id),
                keys.tenantUsage(spec.tenant()), keys.tenantShare(spec.tenant())));
        if (key != null) {
            scriptKeys.add(keys.idempotencyKey(spec.tenant(), key.digest()));
        }
        return enqueue.<List<Object>>run(redis, ScriptOutputType.MULTI, scriptKeys.toArray(String[]::new),
                        id.value(), json, Integer.toString(this.policy.maxAttempts()),
                        Integer.toString(this.policy.maxQueueDepth()), Integer.toString(this.policy.eventsMaxLength()),
                        spec.tenant(), Integer.toString(policy.maxQueued()),
                        key == null ? "" : IdempotencyKey.fingerprint(json, webhookUrl),
                        Integer.toString(policy.weight()), Integer.toString(policy.maxRunning()),
                        webhookUrl == null ? "" : webhookUrl)
                .next()
                .flatMap(reply -> switch (((Long) reply.get(0)).intValue()) {
                    case -1 -> Mono.error(new QueueFullException(this.policy.maxQueueDepth()));
                    case -2 -> Mono.error(new TenantQueueFullException(spec.tenant(), policy.maxQueued(),
                            (Long) reply.get(1)));
                    case -3 -> Mono.error(new IdempotencyKeyReusedException());
                    case -4 -> Mono.just(new Enqueued(queued(new JobId((String) reply.get(1)), spec,
                            (Long) reply.get(2), ((Long) reply.get(3)).intValue()), true));
                    default -> Mono.just(new Enqueued(queued(id, spec, (Long) reply.get(0),
                            this.policy.maxAttempts()), false));
                });
    }

    private static JobRecord queued(JobId id, JobSpec spec, long createdAt, int maxAttempts) {
        return new JobRecord(id, spec, JobState.QUEUED, Instant.ofEpochMilli(createdAt), 0, maxAttempts, null, null,
                null, false, List.of(), null, null);
    }

    /** How many of {@code tenant}'s jobs wait and run now, as the queue scripts count them, and its live sessions. */
    public Mono<TenantUsage> usage(String tenant) {
        return redis.hmget(keys.tenantUsage(tenant), UsageField.QUEUED.wireName(), UsageField.RUNNING.wireName())
                .map(field -> field.hasValue() ? Math.max(0, Long.parseLong(field.getValue())) : 0L)
                .collectList()
                .zipWith(redis.scard(keys.liveSessionsOf(tenant)))
                .map(t -> new TenantUsage(t.getT1().get(0), t.getT1().get(1), t.getT2()));
    }

    /**
     * Stores an exec of {@code spec}'s session and queues it on the worker the session lives on, if the session is
     * {@code owner}'s and ready; fails with {@link SessionRefusedException} otherwise (not found, ended, busy).
     * An exec is never retried: its session's R lives on one worker only.
     */
    public Mono<JobRecord> enqueueSessionExec(JobSpec spec, String owner) {
        SessionId session = new SessionId(Objects.requireNonNull(spec.session(), "spec.session"));
        JobId id = JobId.random();
        return sessionExec.<List<Object>>run(redis, ScriptOutputType.MULTI,
                        new String[] {keys.session(session), keys.job(id), keys.events(id)},
                        session.value(), id.value(), JsonCodec.write(spec), owner,
                        Integer.toString(policy.eventsMaxLength()))
                .next()
                .flatMap(reply -> switch ((String) reply.get(0)) {
                    case "ok" -> Mono.just(new JobRecord(id, spec, JobState.QUEUED,
                            Instant.ofEpochMilli((Long) reply.get(1)), 0, 1, null, null, null, false, List.of(), null,
                            null));
                    case "ended" -> Mono.error(SessionRefusedException.ended(session,
                            SessionState.fromWireName((String) reply.get(1)), (String) reply.get(2)));
                    case "busy" -> Mono.error(SessionRefusedException.busy(session,
                            SessionState.fromWireName((String) reply.get(1))));
                    default -> Mono.error(SessionRefusedException.notFound(session));
                });
    }

    /** The stored job, or empty when it is unknown or expired. */
    public Mono<JobRecord> find(JobId id) {
        return redis.hgetall(keys.job(id))
                .collectMap(kv -> kv.getKey(), kv -> kv.getValue())
                .filter(hash -> !hash.isEmpty())
                .map(hash -> JobHash.toRecord(id, hash));
    }

    /**
     * The stored job without its result, or empty when it is unknown or expired: for reads that answer with the
     * job's state, since a result can be megabytes. Its {@link JobRecord#result()} is null whatever the state, so
     * a finished job goes through {@link #withResult} before its result is used.
     */
    public Mono<JobRecord> findWithoutResult(JobId id) {
        return redis.hmget(keys.job(id), FIELDS_BESIDE_RESULT)
                .filter(KeyValue::hasValue)
                .collectMap(KeyValue::getKey, KeyValue::getValue)
                .filter(hash -> JobField.STATE.in(hash) != null)
                .map(hash -> JobHash.toRecord(id, hash));
    }

    /**
     * {@code job}, a finished job as {@link #findWithoutResult} read it, with the result stored with it; empty when
     * the job expired since. Terminal states and their results never change, so the two reads agree.
     */
    public Mono<JobRecord> withResult(JobRecord job) {
        return redis.hmget(keys.job(job.id()), JobField.STATE.wireName(), JobField.RESULT.wireName())
                .collectList()
                .filter(fields -> fields.get(0).hasValue())
                .map(fields -> fields.get(1).getValueOrElse(""))
                .map(result -> new JobRecord(job.id(), job.spec(), job.state(), job.createdAt(), job.attempt(),
                        job.maxAttempts(), job.attemptedBy(), job.attemptedAt(), job.finishedAt(),
                        job.cancelRequested(), job.errors(),
                        result.isEmpty() ? null : JsonCodec.read(result, RunResult.class), job.timings()));
    }

    /** Whether the job is still stored: false once it expired, or Redis lost it (a flush, a restart). */
    public Mono<Boolean> exists(JobId id) {
        return redis.exists(keys.job(id)).map(count -> count > 0);
    }

    /**
     * Takes the next waiting job, if any, under a fresh lease: the oldest job of the tenant furthest below its share
     * of the workers, never one of a tenant at its running cap.
     */
    public Mono<ClaimedJob> claim(String workerId) {
        return claim(workerId, claim, keys.delayed(), keys.pendingBeforeTenantLines());
    }

    /**
     * Takes the next exec queued for a session on this worker ({@link RedisKeys#workerLane}), if any, under a fresh
     * lease: first come, first served, from the worker's own list.
     */
    public Mono<ClaimedJob> claimSessionExec(String workerId) {
        return claim(workerId, claimLane, keys.workerLane(workerId), keys.workerLaneDelayed(workerId),
                keys.workerLaneSignal(workerId));
    }

    private Mono<ClaimedJob> claim(String workerId, LuaScript script, String... scriptKeys) {
        String token = UUID.randomUUID().toString();
        return script.<List<Object>>run(redis, ScriptOutputType.MULTI, scriptKeys,
                        workerId, Long.toString(policy.lease().toMillis()), token)
                .next()
                .filter(fields -> !fields.isEmpty())
                .map(f -> new ClaimedJob(
                        new JobId((String) f.get(0)),
                        JsonCodec.read((String) f.get(1), JobSpec.class),
                        ((Long) f.get(2)).intValue(),
                        ((Long) f.get(3)).intValue(),
                        workerId,
                        token,
                        Instant.ofEpochMilli((Long) f.get(4)),
                        Instant.ofEpochMilli((Long) f.get(5))));
    }

    public Mono<LeaseStatus> renew(ClaimedJob job) {
        return renew.<Long>run(redis, ScriptOutputType.INTEGER,
                        new String[] {keys.job(job.id()), keys.leases()},
                        job.id().value(), job.leaseToken(), Long.toString(policy.lease().toMillis()))
                .single()
                .map(code -> switch (code.intValue()) {
                    case 1 -> LeaseStatus.HELD;
                    case 2 -> LeaseStatus.CANCEL_REQUESTED;
                    default -> LeaseStatus.LOST;
                });
    }

    /** {@link #finish(ClaimedJob, JobState, RunResult, RunTimings)} by a caller that did not time the run. */
    public Mono<Void> finish(ClaimedJob job, JobState state, RunResult result) {
        return finish(job, state, result, null);
    }

    /**
     * Writes the job's terminal state, result and timings, once: fails with {@link LeaseLostException} when another
     * attempt owns the job or it already ended.
     *
     * @param timings how long the attempt's phases took, read back as {@link JobRecord#timings()}; null for none
     */
    public Mono<Void> finish(ClaimedJob job, JobState state, RunResult result, RunTimings timings) {
        if (!state.isTerminal()) {
            return Mono.error(new IllegalArgumentException("not a terminal state: " + state));
        }
        return finish.<Long>run(redis, ScriptOutputType.INTEGER,
                        new String[] {keys.job(job.id()), keys.leases(), keys.events(job.id())},
                        job.id().value(), job.leaseToken(), state.wireName(),
                        result == null ? "" : JsonCodec.write(result),
                        Long.toString(policy.resultTtl().toSeconds()), keys.completions(),
                        Integer.toString(policy.eventsMaxLength()), JobHash.timingsField(timings))
                .single()
                .flatMap(written -> written == 1
                        ? Mono.<Void>empty()
                        : Mono.error(new LeaseLostException(job.id(), job.workerId())));
    }

    /**
     * Gives a job back after an infrastructure failure (Docker API error, missing image): it is retried after a
     * backoff, or fails once it used its attempts. Returns the job's new state.
     */
    public Mono<JobState> release(ClaimedJob job, String reason) {
        return release(job, ReleaseKind.RETRY, reason);
    }

    /**
     * Gives back a job its worker stopped (shutdown) after killing its container: the attempt does not count, and
     * the job is queued again at once, ahead of the waiting ones; a cancel requested meanwhile ends it cancelled.
     * Returns the job's new state.
     */
    public Mono<JobState> handBack(ClaimedJob job) {
        return release(job, ReleaseKind.HAND_BACK, "handed back at shutdown (worker " + job.workerId() + ")");
    }

    private Mono<JobState> release(ClaimedJob job, ReleaseKind kind, String reason) {
        return release.<String>run(redis, ScriptOutputType.VALUE,
                        new String[] {keys.job(job.id()), keys.leases(), keys.delayed(), keys.events(job.id())},
                        job.id().value(), job.leaseToken(), job.workerId(), reason, policy.backoffDelaysMillis(),
                        Long.toString(policy.resultTtl().toSeconds()), keys.completions(),
                        Integer.toString(policy.eventsMaxLength()), kind.wireName())
                .single()
                .flatMap(state -> state.isEmpty()
                        ? Mono.error(new LeaseLostException(job.id(), job.workerId()))
                        : Mono.just(JobState.fromWireName(state)));
    }

    /** Ends claims whose lease expired (their worker is presumed dead); returns how many it ended. */
    public Mono<Long> rescueExpired() {
        return rescue.<Long>run(redis, ScriptOutputType.INTEGER,
                        new String[] {keys.leases(), keys.delayed()},
                        policy.backoffDelaysMillis(), Long.toString(policy.resultTtl().toSeconds()),
                        keys.completions(), Integer.toString(policy.eventsMaxLength()),
                        Integer.toString(RESCUE_BATCH))
                .single();
    }

    /**
     * Cancels a job: a waiting job ends at once; a running one is flagged and its worker told to kill it.
     * Returns the state after the request, or empty for an unknown job.
     */
    public Mono<JobState> cancel(JobId id) {
        return cancel(id, false);
    }

    /**
     * Cancels a job only if no worker has claimed it yet, as a caller that stops waiting for a queued job does.
     * Returns the state after the request ({@code cancelled} when withdrawn), or empty for an unknown job.
     */
    public Mono<JobState> withdraw(JobId id) {
        return cancel(id, true);
    }

    private Mono<JobState> cancel(JobId id, boolean onlyWaiting) {
        return cancel.<String>run(redis, ScriptOutputType.VALUE,
                        new String[] {keys.job(id), keys.delayed(), keys.leases(), keys.events(id)},
                        id.value(), Long.toString(policy.resultTtl().toSeconds()), keys.completions(),
                        keys.cancellations(), Integer.toString(policy.eventsMaxLength()), onlyWaiting ? "1" : "0")
                .next()
                .filter(state -> !state.isEmpty())
                .map(JobState::fromWireName);
    }

    /**
     * Appends events to a running job's stream, in order, then announces them on {@code eventNotices}; fenced like
     * {@link #finish}: fails with {@link LeaseLostException} when another attempt owns the job or it already ended.
     */
    public Mono<Void> appendEvents(ClaimedJob job, List<JobEvent> events) {
        String[] args = new String[4 + 2 * events.size()];
        args[0] = job.id().value();
        args[1] = job.leaseToken();
        args[2] = Integer.toString(policy.eventsMaxLength());
        args[3] = keys.eventNotices();
        for (int i = 0; i < events.size(); i++) {
            args[4 + 2 * i] = events.get(i).type().wireName();
            args[5 + 2 * i] = events.get(i).data();
        }
        return append.<Long>run(redis, ScriptOutputType.INTEGER,
                        new String[] {keys.job(job.id()), keys.events(job.id())}, args)
                .single()
                .flatMap(appended -> appended == 1
                        ? Mono.<Void>empty()
                        : Mono.error(new LeaseLostException(job.id(), job.workerId())));
    }

    /** A job's stored events after {@code afterId} (exclusive; null for all). */
    public Flux<JobEvent> events(JobId id, String afterId) {
        Range<String> range = afterId == null
                ? Range.create("-", "+")
                : Range.from(Range.Boundary.excluding(afterId), Range.Boundary.unbounded());
        return redis.xrange(keys.events(id), range).map(JobQueue::toEvent);
    }

    /** The queue's figures, with those of each tenant that has jobs waiting. */
    public Mono<QueueStats> stats() {
        return stats(List.of());
    }

    /** The queue's figures, with those of each tenant that has jobs waiting and of each of {@code tenants}. */
    public Mono<QueueStats> stats(Collection<String> tenants) {
        return stats.<List<Object>>run(redis, ScriptOutputType.MULTI, new String[] {keys.delayed(), keys.leases()},
                        tenants.toArray(String[]::new))
                .next()
                .map(f -> {
                    long oldest = (Long) f.get(3);
                    Duration oldestWaiting = oldest < 0 ? Duration.ZERO
                            : Duration.ofMillis(Math.max(0, (Long) f.get(4) - oldest));
                    List<TenantLoad> loads = new ArrayList<>();
                    for (int i = 5; i + 2 < f.size(); i += 3) {
                        loads.add(new TenantLoad((String) f.get(i), (Long) f.get(i + 1), (Long) f.get(i + 2)));
                    }
                    return new QueueStats((Long) f.get(0), (Long) f.get(1), (Long) f.get(2), oldestWaiting,
                            List.copyOf(loads));
                });
    }

    private static JobEvent toEvent(StreamMessage<String, String> message) {
        Map<String, String> body = message.getBody();
        return new JobEvent(message.getId(), JobEventType.fromWireName(EventField.TYPE.in(body)),
                body.getOrDefault(EventField.DATA.wireName(), ""));
    }
}
