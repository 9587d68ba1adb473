package rrunner.common.queue;

import rrunner.common.job.JobId;
import rrunner.common.session.SessionId;

/**
 * Every Redis key and channel the service uses, so the key space reads in one place. The Lua scripts build
 * per-job and per-worker keys with helpers cut out of these methods' own keys ({@link LuaPrelude}), which is why the
 * layout is single-node Redis, not Cluster.
 */
public record RedisKeys(String prefix) {

    public RedisKeys {
        if (prefix == null || prefix.isBlank() || prefix.contains(" ")) {
            throw new IllegalArgumentException("key prefix must be a non-blank word: '" + prefix + "'");
        }
    }

    /** Hash: one job's spec, state, attempts, errors and result. */
    public String job(JobId id) {
        return prefix + ":job:" + id;
    }

    /** Stream: one job's events, expiring with the job. */
    public String events(JobId id) {
        return job(id) + ":events";
    }

    /**
     * List: one entry per job waiting in a tenant's line ({@link #tenantLine}), so its length is the queue's depth,
     * the figure an autoscaler such as KEDA reads; the entries themselves mean nothing.
     */
    public String waiting() {
        return prefix + ":queue:waiting";
    }

    /**
     * Sorted set: the tenants with jobs waiting, each scored by its running jobs per weight ({@code inf} at its
     * {@code max_running}) as {@code <pass>:<tenant>}, so the fair claim takes the first; see {@code prelude.lua}.
     */
    public String claimableTenants() {
        return prefix + ":queue:tenants";
    }

    /** String: the fair scheduler's present pass, where a tenant that had nothing waiting starts again. */
    public String schedulerPass() {
        return prefix + ":queue:pass";
    }

    /**
     * List: what an older version queued for all tenants in one line; the claim moves its ids into their tenants'
     * lines, so jobs queued across an upgrade still run.
     */
    public String pendingBeforeTenantLines() {
        return prefix + ":queue:pending";
    }

    /** Sorted set: ids waiting to be retried, scored by when they may run again (ms). */
    public String delayed() {
        return prefix + ":queue:delayed";
    }

    /** Sorted set: ids currently claimed, scored by when their lease expires (ms). */
    public String leases() {
        return prefix + ":queue:leases";
    }

    /** List: one token per enqueued job; an idle worker blocks on it instead of polling. */
    public String signal() {
        return prefix + ":queue:signal";
    }

    /**
     * Sorted set: the ids of ended jobs whose webhook is still to be delivered, scored by when its next attempt is
     * due (ms); an attempt in flight is scored by when its lease runs out.
     */
    public String webhookSchedule() {
        return prefix + ":webhooks:schedule";
    }

    /** Pub/sub channel: the id of every job that reached a terminal state. */
    public String completions() {
        return prefix + ":completions";
    }

    /**
     * Pub/sub channel: the id of a job whose event stream just grew, so a gateway can push new events to its
     * streaming clients from one subscription instead of one blocking read per client.
     */
    public String eventNotices() {
        return prefix + ":event-notices";
    }

    /** Pub/sub channel: the id of every running job whose caller asked to cancel it. */
    public String cancellations() {
        return prefix + ":cancellations";
    }

    /**
     * String: this deployment's id, made by its first worker and written on every sandbox's labels, so two
     * deployments on one Docker engine tell their containers apart even with the same prefix.
     */
    public String deployment() {
        return prefix + ":deployment";
    }

    /** String: the package inventory of the execution image, as JSON, published by workers. */
    public String system() {
        return prefix + ":system";
    }

    /**
     * String: the package inventory of one environment's image, as JSON, published by workers; {@link #system()}
     * keeps the default environment's, as {@code GET /system} always showed it.
     */
    public String inventory(String environment) {
        return prefix + ":environment:" + environment + ":inventory";
    }

    /** Hash: one session's spec, state, owner, worker and times. */
    public String session(SessionId id) {
        return prefix + ":session:" + id;
    }

    /** String: a moving session's saved workspace (a tar archive, base64), until a worker restored it. */
    public String sessionSnapshot(SessionId id) {
        return session(id) + ":snapshot";
    }

    /** Set: the ids of every session not ended yet, whoever owns it; its size is checked against the fleet's room. */
    public String liveSessions() {
        return prefix + ":sessions:live";
    }

    /** Set: the ids of one owner's sessions not ended yet; its size is checked against the per-owner cap. */
    public String liveSessionsOf(String owner) {
        return prefix + ":sessions:owner:" + owner + ":live";
    }

    /** Sorted set: one owner's sessions, live or ended, scored by creation (ms); pruned as their hashes expire. */
    public String sessionsOf(String owner) {
        return prefix + ":sessions:owner:" + owner;
    }

    /** List: ids of sessions waiting for a worker to start them; workers with room take from the tail. */
    public String sessionOpens() {
        return prefix + ":queue:sessions";
    }

    /** List: one token per session waiting to start, as {@link #signal()} is for jobs. */
    public String sessionOpenSignal() {
        return prefix + ":queue:sessions:signal";
    }

    /** List: ids of the execs queued for sessions on one worker, which only that worker takes. */
    public String workerLane(String workerId) {
        return prefix + ":queue:worker:" + workerId;
    }

    /** List: one token per exec queued on {@link #workerLane}. */
    public String workerLaneSignal(String workerId) {
        return workerLane(workerId) + ":signal";
    }

    /** List: file requests (JSON) for sessions on one worker; expires when no caller waits for them any more. */
    public String workerFileRequests(String workerId) {
        return workerLane(workerId) + ":files";
    }

    /** String: a worker's reply (JSON) to one file request, kept until its caller stopped waiting. */
    public String fileReply(String requestId) {
        return prefix + ":session-file:" + requestId;
    }

    /** Pub/sub channel: the id of every file request answered, for the gateway waiting on it. */
    public String fileReplies() {
        return prefix + ":session-file-replies";
    }

    /** Sorted set: retries of a worker lane; always empty, since a session's exec is never retried elsewhere. */
    public String workerLaneDelayed(String workerId) {
        return workerLane(workerId) + ":delayed";
    }

    /** Set: the ids of the sessions living on one worker. */
    public String workerSessions(String workerId) {
        return worker(workerId) + ":sessions";
    }

    /** Pub/sub channel: the id of every session that became ready or ended, for gateways waiting on a start. */
    public String sessionNotices() {
        return prefix + ":session-notices";
    }

    /** Hash: one tenant's queued and running job counts ({@link UsageField}), kept by the queue scripts. */
    public String tenantUsage(String tenant) {
        return prefix + ":tenant:" + tenant + ":usage";
    }

    /** List: one tenant's waiting job ids, newest at the head; claims take from the tail, retries go back there. */
    public String tenantLine(String tenant) {
        return prefix + ":tenant:" + tenant + ":line";
    }

    /** Hash: what the fair claim knows of a tenant ({@link ShareField}): its weight, cap and pass. */
    public String tenantShare(String tenant) {
        return prefix + ":tenant:" + tenant + ":share";
    }

    /**
     * String: the job an {@code Idempotency-Key} made, as {@code <fingerprint>:<job id>}, scoped to the tenant;
     * {@code keyDigest} is the SHA-256 of the client's key, so any characters it holds are safe in a key. It has no
     * expiry until its job ends, then expires with the job's result, so it never outlives its job.
     */
    public String idempotencyKey(String tenant, String keyDigest) {
        return prefix + ":tenant:" + tenant + ":idempotency:" + keyDigest;
    }

    /** Hash: one tenant's request token bucket (tokens left, when last refilled), for its requests-per-minute cap. */
    public String requestBucket(String tenant) {
        return prefix + ":tenant:" + tenant + ":bucket";
    }

    /** Sorted set: the ids of workers that sent a heartbeat, scored by its time (ms, Redis clock). */
    public String workers() {
        return prefix + ":workers";
    }

    /** Hash: one worker's last heartbeat (slots, running jobs, image, version); expires unless renewed. */
    public String worker(String workerId) {
        return prefix + ":worker:" + workerId;
    }
}
