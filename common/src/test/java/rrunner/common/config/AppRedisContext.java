package rrunner.common.config;

import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import rrunner.common.testing.SharedSettings;

/**
 * The Redis part of gateway and worker as their application.yaml sets it up: the shared settings file both import
 * (REDIS_URL, REDIS_TLS_CA_FILE and the queue settings with their defaults) and {@link RedisConfiguration}.
 */
final class AppRedisContext {

    private AppRedisContext() {
    }

    /** {@code caFile} is REDIS_TLS_CA_FILE: empty for none. */
    static ApplicationContextRunner with(String redisUrl, String caFile) {
        return new ApplicationContextRunner()
                .withInitializer(new ConfigDataApplicationContextInitializer())
                .withUserConfiguration(RedisConfiguration.class)
                .withPropertyValues(
                        "spring.config.location=" + SharedSettings.LOCATION,
                        "REDIS_URL=" + redisUrl,
                        "REDIS_TLS_CA_FILE=" + caFile,
                        "REDIS_KEY_PREFIX=tls-test");
    }
}
