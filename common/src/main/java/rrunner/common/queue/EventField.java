package rrunner.common.queue;

import rrunner.common.job.WireNamed;

/** The fields of an entry in a job's event stream ({@link RedisKeys#events}), for Java and the Lua scripts. */
enum EventField implements WireNamed {
    /** The {@code JobEventType}'s wire name. */
    TYPE,
    DATA;
}
