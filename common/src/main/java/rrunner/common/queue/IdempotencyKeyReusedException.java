package rrunner.common.queue;

/** An idempotency key came with a request other than the one it was first used with; nothing was stored. */
public class IdempotencyKeyReusedException extends RuntimeException {

    public IdempotencyKeyReusedException() {
        super("this Idempotency-Key was already used with a different request; send a new key for a new request");
    }
}
