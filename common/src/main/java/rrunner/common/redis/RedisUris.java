package rrunner.common.redis;

import io.lettuce.core.RedisURI;
import java.time.Duration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;

/** The one Redis URI both apps connect with. */
final class RedisUris {

    private RedisUris() {
    }

    /**
     * Server, database and credentials from Boot's connection details (derived from {@code REDIS_URL}, or from
     * Testcontainers' {@code @ServiceConnection} in tests); TLS and the client name from the URL itself.
     * why both: the connection details carry no TLS flag, so rebuilding the URI from them alone silently turned
     * {@code rediss://} into plain text. Boot's own Lettuce factory reads TLS from the URL the same way.
     */
    static RedisURI of(DataRedisConnectionDetails details, String url, Duration commandTimeout) {
        DataRedisConnectionDetails.Standalone server = details.getStandalone();
        RedisURI.Builder uri = RedisURI.builder()
                .withHost(server.getHost())
                .withPort(server.getPort())
                .withDatabase(server.getDatabase())
                .withTimeout(commandTimeout);
        if (url != null && !url.isBlank()) {
            RedisURI given = RedisURI.create(url);
            uri.withSsl(given.isSsl()).withStartTls(given.isStartTls()).withVerifyPeer(given.getVerifyMode());
            if (given.getClientName() != null) {
                uri.withClientName(given.getClientName());
            }
        }
        if (details.getPassword() != null) {
            if (details.getUsername() != null) {
                uri.withAuthentication(details.getUsername(), details.getPassword());
            } else {
                uri.withPassword(details.getPassword().toCharArray());
            }
        }
        return uri.build();
    }

    /** The URI without credentials, for messages and logs. */
    static String describe(RedisURI uri) {
        return (uri.isSsl() ? "rediss" : "redis") + "://" + uri.getHost() + ":" + uri.getPort() + "/"
                + uri.getDatabase();
    }
}
