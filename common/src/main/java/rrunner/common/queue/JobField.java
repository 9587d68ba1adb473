package rrunner.common.queue;

import java.util.EnumSet;
import java.util.Set;
import rrunner.common.job.WireNamed;

/** The fields of a job's hash ({@link RedisKeys#job}), for Java and, through the prelude, the Lua scripts. */
enum JobField implements WireNamed {
    /** The {@code JobSpec} as JSON. */
    SPEC,
    /** The {@code JobState}'s wire name. */
    STATE,
    /** Epoch ms, Redis clock, like every time below. */
    CREATED_AT,
    ATTEMPT,
    MAX_ATTEMPTS,
    ATTEMPTED_BY,
    ATTEMPTED_AT,
    /** The running attempt's lease token, which fences its writes; gone once it ends. */
    LEASE,
    /** {@code 1} once a cancel of the running job was requested. */
    CANCEL,
    /** One JSON line per attempt that ended without a result. */
    ERRORS,
    FINISHED_AT,
    /** The {@code RunResult} as JSON; can be megabytes. */
    RESULT,
    /** The ending attempt's phases as JSON. */
    TIMINGS,
    /** The id of the session the job is an exec of; absent for a one-shot job. */
    SESSION,
    /**
     * The id of the tenant that owns the job, which the scripts count it under ({@link UsageField}); absent for a job
     * stored before tenants, which counts for nobody.
     */
    TENANT,
    /** The Redis key of the idempotency key that made the job, expired with it; absent for a job made without one. */
    IDEMPOTENCY_KEY,
    /** The URL to tell when the job ends, checked when it was submitted; absent for a job without a webhook. */
    WEBHOOK_URL,
    /** The webhook delivery's {@link WebhookStatus}; written with {@link #WEBHOOK_URL}. */
    WEBHOOK_STATUS,
    /** How many delivery attempts were started; the latest one's number is its lease token. */
    WEBHOOK_ATTEMPTS,
    /** Why the last attempt failed, or '' after one that did not. */
    WEBHOOK_ERROR,
    /** The HTTP status the receiver answered the last attempt with, or '' when it answered none. */
    WEBHOOK_CODE;

    /** The webhook delivery's fields, which {@link WebhookSchedule} reads and the job's record leaves out. */
    static final Set<JobField> WEBHOOK =
            EnumSet.of(WEBHOOK_URL, WEBHOOK_STATUS, WEBHOOK_ATTEMPTS, WEBHOOK_ERROR, WEBHOOK_CODE);

    /**
     * What {@link JobHash} reads for a record without its result: the lease token is never shown, and the
     * idempotency key is only the queue scripts' business.
     */
    static final Set<JobField> BESIDE_RESULT = EnumSet.complementOf(EnumSet.of(RESULT, LEASE, IDEMPOTENCY_KEY,
            WEBHOOK_URL, WEBHOOK_STATUS, WEBHOOK_ATTEMPTS, WEBHOOK_ERROR, WEBHOOK_CODE));
}
