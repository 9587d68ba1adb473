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
    IDEMPOTENCY_KEY;

    /**
     * What {@link JobHash} reads for a record without its result: the lease token is never shown, and the
     * idempotency key is only the queue scripts' business.
     */
    static final Set<JobField> BESIDE_RESULT = EnumSet.complementOf(EnumSet.of(RESULT, LEASE, IDEMPOTENCY_KEY));
}
