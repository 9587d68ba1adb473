package rrunner.worker.testing;

import rrunner.common.environment.Environment;
import rrunner.common.environment.Environments;
import rrunner.common.testing.AppSettings;
import rrunner.common.testing.SharedSettings;
import rrunner.worker.sandbox.SandboxProperties;

/**
 * The worker's settings as it binds them from its application.yaml and the shared settings: the defaults, or the
 * defaults with some documented environment variables set ({@code sandbox("RUNNER_PIDS_LIMIT", "64")}), validated
 * as at startup.
 */
public final class WorkerSettings {

    private static final AppSettings APP = AppSettings.load("classpath:application.yaml");

    private WorkerSettings() {
    }

    public static SandboxProperties sandbox(String... environment) {
        return bind(SandboxProperties.class, environment);
    }

    /** The environments the worker serves ({@code environments("RUNNER_ENVIRONMENTS", "r-base,r-full")}). */
    public static Environments environments(String... environment) {
        return SharedSettings.environments(environment);
    }

    /** The default environment, {@code r-base} unless {@code environment} says otherwise. */
    public static Environment defaultEnvironment(String... environment) {
        return environments(environment).defaultEnvironment();
    }

    /** Any of the worker's settings records, from environment variables given as name, value pairs. */
    public static <T> T bind(Class<T> type, String... environment) {
        return APP.bind(type, environment);
    }
}
