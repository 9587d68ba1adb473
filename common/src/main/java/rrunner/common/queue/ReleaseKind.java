package rrunner.common.queue;

import rrunner.common.job.WireNamed;

/** The two ways {@code release.lua} gives a running job back. */
enum ReleaseKind implements WireNamed {
    /** An infrastructure failure: the attempt counts, and the job is retried after a backoff or fails at max. */
    RETRY,
    /** The worker stopped and killed the container first: the attempt does not count, the job is next in line. */
    HAND_BACK
}
