package rrunner.common.queue;

import rrunner.common.job.WireNamed;

/** The fields of a tenant's request bucket ({@link RedisKeys#requestBucket}), written by {@code take_request.lua}. */
enum BucketField implements WireNamed {
    /** Tokens left, a fraction: the bucket refills continuously. */
    TOKENS,
    /** When the tokens were last counted, epoch ms, Redis clock. */
    REFILLED_AT;
}
