package rrunner.common.queue;

import rrunner.common.job.WireNamed;

/** The fields of a session's hash ({@link RedisKeys#session}), for Java and, through the prelude, the Lua scripts. */
enum SessionField implements WireNamed {
    OWNER,
    /** The {@code SessionState}'s wire name. */
    STATE,
    /** The {@code SessionSpec} as JSON. */
    SPEC,
    /** The idle time to live in ms, from the spec, so the scripts need not decode it. */
    TTL_MS,
    /** Epoch ms, Redis clock, like every time below. */
    CREATED_AT,
    LAST_USED_AT,
    EXPIRES_AT,
    /** The hard end of its life, set at creation and never extended. */
    MAX_EXPIRES_AT,
    EXEC_COUNT,
    WORKSPACE_BYTES,
    /** The worker it lives on, once one took it. */
    WORKER,
    IMAGE_ID,
    /** Why it ended. */
    REASON,
    ENDED_AT,
    /** The id of the exec queued or running in it. */
    CURRENT_JOB,
    /** Epoch ms: a session moving from a worker that shut down ends lost if no other worker restored it by then. */
    MOVE_DEADLINE,
    /** How many times it moved to another worker. */
    MOVES;
}
