package rrunner.common.redis;

/** The first connection to Redis failed at startup; the message says which setting to check. */
public class RedisUnreachableException extends RuntimeException {

    RedisUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
