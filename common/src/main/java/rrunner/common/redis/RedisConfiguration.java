package rrunner.common.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import javax.net.ssl.SSLException;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import rrunner.common.queue.JobQueue;

/** One Lettuce client per app and one shared command connection: Lettuce multiplexes it across callers. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({QueueProperties.class, RedisTlsProperties.class})
public class RedisConfiguration {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

    @Bean
    RedisURI rrunnerRedisUri(DataRedisConnectionDetails details, DataRedisProperties properties,
            QueueProperties queue, RedisTlsProperties tls) {
        RedisURI uri = RedisUris.of(details, properties.getUrl(), queue.commandTimeout());
        if (tls.hasCaFile() && !uri.isSsl()) {
            // why refuse: the operator meant TLS, and a plain connection would send the password in clear text
            throw new IllegalStateException("REDIS_TLS_CA_FILE is set but REDIS_URL (" + RedisUris.describe(uri)
                    + ") does not use TLS: write it as rediss://...");
        }
        return uri;
    }

    @Bean(destroyMethod = "shutdown")
    RedisClient rrunnerRedisClient(RedisURI uri, ClientResources resources, QueueProperties queue,
            RedisTlsProperties tls) {
        RedisClient client = RedisClient.create(resources, uri);
        ClientOptions.Builder options = ClientOptions.builder()
                .socketOptions(SocketOptions.builder().connectTimeout(CONNECT_TIMEOUT).build())
                .timeoutOptions(TimeoutOptions.enabled(queue.commandTimeout()))
                // why: while Redis is down, fail commands at once instead of queueing them behind a reconnect
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .autoReconnect(true);
        if (tls.hasCaFile()) {
            options.sslOptions(SslOptions.builder()
                    .jdkSslProvider()
                    .trustManager(RedisTrust.fromPemFile(tls.caFile()))
                    .build());
        }
        client.setOptions(options.build());
        return client;
    }

    /** Primary because apps add connections of their own (pub/sub, blocking) that must never be shared. */
    @Bean(destroyMethod = "close")
    @Primary
    StatefulRedisConnection<String, String> rrunnerRedisConnection(RedisClient client, RedisURI uri) {
        try {
            return client.connect();
        } catch (RedisConnectionException e) {
            throw new RedisUnreachableException(unreachable(uri, e), e);
        }
    }

    @Bean
    JobQueue jobQueue(QueueProperties queue, StatefulRedisConnection<String, String> connection) {
        return new JobQueue(queue.keys(), queue.policy(), connection.reactive());
    }

    /** Says which setting to look at: Lettuce's own message names neither the URL's scheme nor the CA file. */
    private static String unreachable(RedisURI uri, RedisConnectionException e) {
        String cause = rootMessage(e);
        String prefix = "Cannot connect to Redis at " + RedisUris.describe(uri) + " (" + cause + "). ";
        if (hasCause(e, SSLException.class)) {
            return prefix + "The TLS handshake failed: if the server's certificate is not signed by a CA the JVM "
                    + "trusts, set REDIS_TLS_CA_FILE to the PEM file of the CA that signed it.";
        }
        if (!uri.isSsl()) {
            return prefix + "Check REDIS_URL; a Redis that accepts only TLS connections needs rediss://.";
        }
        return prefix + "Check REDIS_URL.";
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
