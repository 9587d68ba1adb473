package rrunner.common.redis;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The Redis part of gateway and worker as their application.yaml sets it up: Boot's Redis auto-configuration
 * (which turns spring.data.redis.url, that is REDIS_URL, into connection details) plus {@link RedisConfiguration}.
 */
final class AppRedisContext {

    private AppRedisContext() {
    }

    /** {@code caFile} is REDIS_TLS_CA_FILE: empty for none. */
    static ApplicationContextRunner with(String redisUrl, String caFile) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
                .withUserConfiguration(RedisConfiguration.class)
                .withPropertyValues(
                        "spring.data.redis.url=" + redisUrl,
                        "rrunner.redis.tls-ca-file=" + caFile,
                        "rrunner.queue.key-prefix=tls-test",
                        "rrunner.queue.max-attempts=3",
                        "rrunner.queue.max-queue-depth=0",
                        "rrunner.queue.lease=15s",
                        "rrunner.queue.lease-renew-interval=5s",
                        "rrunner.queue.result-ttl=1h",
                        "rrunner.queue.retry-initial-backoff=500ms",
                        "rrunner.queue.command-timeout=2s",
                        "rrunner.queue.events-max-length=1000");
    }
}
