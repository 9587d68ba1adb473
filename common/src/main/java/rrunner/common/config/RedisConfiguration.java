package rrunner.common.config;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import rrunner.common.queue.JobQueue;
import rrunner.common.queue.SessionStore;
import rrunner.common.queue.WorkerRegistry;
import rrunner.common.redis.HeartbeatProperties;
import rrunner.common.redis.QueueProperties;
import rrunner.common.redis.RedisHealthIndicator;
import rrunner.common.redis.RedisProperties;
import rrunner.common.redis.RedisTrust;
import rrunner.common.redis.RedisUnreachableException;
import rrunner.common.redis.RedisUris;

/**
 * One Lettuce client per app, connected to {@code REDIS_URL} as Lettuce reads it, and one shared command connection:
 * Lettuce multiplexes it across callers. Boot's own Redis auto-configuration is excluded (shared-settings.yaml).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({QueueProperties.class, RedisProperties.class, HeartbeatProperties.class})
public class RedisConfiguration {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

    /**
     * TLS, credentials, database and Sentinel exactly as the URL says. A {@link DataRedisConnectionDetails} bean, as
     * Testcontainers' {@code @ServiceConnection} defines, moves it to that server: Boot's rule that connection
     * details win over properties.
     */
    @Bean
    RedisURI rrunnerRedisUri(RedisProperties redis, QueueProperties queue,
            ObjectProvider<DataRedisConnectionDetails> connectionDetails) {
        RedisURI uri = parse(redis.url());
        uri.setTimeout(queue.commandTimeout());
        connectionDetails.ifAvailable(details -> {
            uri.setHost(details.getStandalone().getHost());
            uri.setPort(details.getStandalone().getPort());
        });
        if (redis.hasCaFile() && !uri.isSsl()) {
            // why refuse: the operator meant TLS, and a plain connection would send the password in clear text
            throw new IllegalStateException("REDIS_TLS_CA_FILE is set but REDIS_URL (" + RedisUris.describe(uri)
                    + ") does not use TLS: write it as rediss://...");
        }
        return uri;
    }

    @Bean(destroyMethod = "shutdown")
    ClientResources lettuceClientResources(ObjectProvider<ClientResourcesBuilderCustomizer> customizers) {
        DefaultClientResources.Builder builder = DefaultClientResources.builder();
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        return builder.build();
    }

    @Bean(destroyMethod = "shutdown")
    RedisClient rrunnerRedisClient(RedisURI uri, ClientResources resources, QueueProperties queue,
            RedisProperties redis) {
        RedisClient client = RedisClient.create(resources, uri);
        ClientOptions.Builder options = ClientOptions.builder()
                .socketOptions(SocketOptions.builder().connectTimeout(CONNECT_TIMEOUT).build())
                .timeoutOptions(TimeoutOptions.enabled(queue.commandTimeout()))
                // why: while Redis is down, fail commands at once instead of queueing them behind a reconnect
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .autoReconnect(true);
        if (redis.hasCaFile()) {
            options.sslOptions(SslOptions.builder()
                    .jdkSslProvider()
                    .trustManager(RedisTrust.fromPemFile(redis.caFile()))
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
            throw RedisUnreachableException.of(uri, e);
        }
    }

    @Bean
    JobQueue jobQueue(QueueProperties queue, StatefulRedisConnection<String, String> connection) {
        return new JobQueue(queue.keys(), queue.policy(), connection.reactive());
    }

    @Bean
    SessionStore sessionStore(QueueProperties queue, StatefulRedisConnection<String, String> connection) {
        return new SessionStore(queue.keys(), queue.policy(), connection.reactive());
    }

    @Bean
    WorkerRegistry workerRegistry(QueueProperties queue, StatefulRedisConnection<String, String> connection) {
        return new WorkerRegistry(queue.keys(), connection.reactive());
    }

    /** Named so it is the "redis" health component the apps' readiness groups include. */
    @Bean
    RedisHealthIndicator redisHealthIndicator(StatefulRedisConnection<String, String> connection) {
        return new RedisHealthIndicator(connection.reactive());
    }

    /** Lettuce's own message would repeat the URL, password and all. */
    private static RedisURI parse(String url) {
        try {
            return RedisURI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("REDIS_URL is not a Redis URL (" + e.getMessage().replace(url, "...")
                    + "): write it as redis://[[user]:password@]host:port[/database], rediss://... for TLS, or "
                    + "redis-sentinel://[[user]:password@]host:port[,host:port...][/database]#master");
        }
    }
}
