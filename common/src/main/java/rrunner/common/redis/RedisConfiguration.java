package rrunner.common.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import rrunner.common.queue.JobQueue;

/** One Lettuce client per app and one shared command connection: Lettuce multiplexes it across callers. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(QueueProperties.class)
public class RedisConfiguration {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

    @Bean(destroyMethod = "shutdown")
    RedisClient rrunnerRedisClient(DataRedisConnectionDetails details, ClientResources resources,
            QueueProperties queue) {
        DataRedisConnectionDetails.Standalone standalone = details.getStandalone();
        RedisURI.Builder uri = RedisURI.builder()
                .withHost(standalone.getHost())
                .withPort(standalone.getPort())
                .withDatabase(standalone.getDatabase())
                .withTimeout(queue.commandTimeout());
        if (details.getPassword() != null) {
            if (details.getUsername() != null) {
                uri.withAuthentication(details.getUsername(), details.getPassword());
            } else {
                uri.withPassword(details.getPassword().toCharArray());
            }
        }
        RedisClient client = RedisClient.create(resources, uri.build());
        client.setOptions(ClientOptions.builder()
                .socketOptions(SocketOptions.builder().connectTimeout(CONNECT_TIMEOUT).build())
                .timeoutOptions(TimeoutOptions.enabled(queue.commandTimeout()))
                // why: while Redis is down, fail commands at once instead of queueing them behind a reconnect
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .autoReconnect(true)
                .build());
        return client;
    }

    /** Primary because apps add connections of their own (pub/sub, blocking) that must never be shared. */
    @Bean(destroyMethod = "close")
    @Primary
    StatefulRedisConnection<String, String> rrunnerRedisConnection(RedisClient client) {
        return client.connect();
    }

    @Bean
    JobQueue jobQueue(QueueProperties queue, StatefulRedisConnection<String, String> connection) {
        return new JobQueue(queue.keys(), queue.policy(), connection.reactive());
    }
}
