package rrunner.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;
import rrunner.common.config.EnvironmentConfiguration;
import rrunner.common.config.RedisConfiguration;

@SpringBootApplication
@ConfigurationPropertiesScan
@Import({RedisConfiguration.class, EnvironmentConfiguration.class})
public class GatewayApplication {

    public static void main(String[] args) {
        SpringApplication.run(GatewayApplication.class, args);
    }
}
