package rrunner.common.redis;

import io.lettuce.core.RedisURI;
import javax.net.ssl.SSLException;

/** The first connection to Redis failed at startup; the message says which setting to check. */
public class RedisUnreachableException extends RuntimeException {

    private RedisUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Says which setting to look at: Lettuce's own message names neither the URL's scheme nor the CA file. */
    public static RedisUnreachableException of(RedisURI uri, RuntimeException e) {
        String prefix = "Cannot connect to Redis at " + RedisUris.describe(uri) + " (" + rootMessage(e) + "). ";
        if (hasCause(e, SSLException.class)) {
            return new RedisUnreachableException(prefix + "The TLS handshake failed: if the server's certificate is "
                    + "not signed by a CA the JVM trusts, set REDIS_TLS_CA_FILE to the PEM file of the CA that signed "
                    + "it.", e);
        }
        if (!uri.isSsl()) {
            return new RedisUnreachableException(
                    prefix + "Check REDIS_URL; a Redis that accepts only TLS connections needs rediss://.", e);
        }
        return new RedisUnreachableException(prefix + "Check REDIS_URL.", e);
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
