package rrunner.common.testing;

import rrunner.common.environment.EnvironmentProperties;
import rrunner.common.environment.Environments;
import rrunner.common.environment.LimitsProperties;
import rrunner.common.queue.QueuePolicy;
import rrunner.common.redis.QueueProperties;

/** The settings gateway and worker share, with their defaults as both apps bind them. */
public final class SharedSettings {

    public static final String LOCATION = "classpath:rrunner/shared-settings.yaml";
    private static final AppSettings FILE = AppSettings.load(LOCATION);

    private SharedSettings() {
    }

    /** The queue policy of {@code environment} (name, value pairs) over the defaults. */
    public static QueuePolicy queuePolicy(String... environment) {
        return FILE.bind(QueueProperties.class, environment).policy();
    }

    /** The environment catalogue of {@code environment} (name, value pairs) over the defaults, checked as at startup. */
    public static Environments environments(String... environment) {
        return Environments.of(FILE.bind(EnvironmentProperties.class, environment),
                FILE.bind(LimitsProperties.class, environment));
    }
}
