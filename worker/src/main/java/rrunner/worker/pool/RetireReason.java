package rrunner.worker.pool;

import java.util.Locale;

/** Why a prepared sandbox was removed without a job taking it; the {@code reason} tag of its counter. */
enum RetireReason {
    /** Prepared for an image the name no longer points to. */
    IMAGE,
    /** Waited longer than {@code RUNNER_POOL_MAX_IDLE}. */
    IDLE,
    /** Its container or R died while it waited. */
    DEAD,
    /** Finished preparing after the pool closed. */
    CLOSED;

    String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
