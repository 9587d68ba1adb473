package rrunner.worker;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.annotation.EnableScheduling;
import rrunner.common.config.EnvironmentConfiguration;
import rrunner.common.config.RedisConfiguration;

/** Claims jobs from the Redis queue and runs each in a fresh sandboxed R container. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
@Import({RedisConfiguration.class, EnvironmentConfiguration.class})
public class WorkerApplication {

    public static void main(String[] args) {
        SpringApplication.run(WorkerApplication.class, args);
    }
}
