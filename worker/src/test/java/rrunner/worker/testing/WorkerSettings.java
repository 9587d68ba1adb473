package rrunner.worker.testing;

import rrunner.common.testing.AppSettings;
import rrunner.worker.sandbox.SandboxProperties;

/**
 * The worker's settings as it binds them from its application.yaml: the defaults, or the defaults with some
 * documented environment variables set ({@code sandbox("RUNNER_MEMORY_LIMIT", "256MB")}), validated as at startup.
 */
public final class WorkerSettings {

    private static final AppSettings APP = AppSettings.load("classpath:application.yaml");

    private WorkerSettings() {
    }

    public static SandboxProperties sandbox(String... environment) {
        return bind(SandboxProperties.class, environment);
    }

    /** Any of the worker's settings records, from environment variables given as name, value pairs. */
    public static <T> T bind(Class<T> type, String... environment) {
        return APP.bind(type, environment);
    }
}
