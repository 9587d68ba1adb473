package rrunner.common.queue;

import rrunner.common.job.WireNamed;

/** The fields of a worker's heartbeat hash ({@link RedisKeys#worker}), for Java and the Lua scripts. */
enum WorkerField implements WireNamed {
    ID,
    CONCURRENCY,
    BUSY,
    FREE,
    /** When the worker process started, epoch ms. */
    STARTED_AT,
    IMAGE,
    VERSION,
    /** JSON: environment name to its {@code EnvironmentReport}. */
    ENVIRONMENTS,
    /** How many sessions it may hold. */
    SESSION_SLOTS,
    /** How many sessions it holds now. */
    SESSIONS,
    /** Written by the script, by Redis's clock, epoch ms. */
    LAST_HEARTBEAT;
}
