package rrunner.common.config;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import rrunner.common.environment.EnvironmentProperties;
import rrunner.common.environment.Environments;
import rrunner.common.environment.LimitsProperties;

/** The environment catalogue both apps read: the gateway to accept requests, the worker to serve them. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({EnvironmentProperties.class, LimitsProperties.class})
public class EnvironmentConfiguration {

    @Bean
    Environments environments(EnvironmentProperties environments, LimitsProperties limits) {
        return Environments.of(environments, limits);
    }
}
