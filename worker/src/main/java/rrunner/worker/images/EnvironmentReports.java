package rrunner.worker.images;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import rrunner.common.environment.Environment;
import rrunner.common.environment.EnvironmentReport;
import rrunner.common.environment.EnvironmentStatus;
import rrunner.common.environment.Environments;

/**
 * What this worker last found out about each environment it serves, for its heartbeat. Kept up by the
 * {@link InventoryPublisher}'s rounds, so the heartbeat only reads memory and never waits on Docker.
 */
public final class EnvironmentReports {

    private final Environments environments;
    private final Map<String, EnvironmentReport> byName = new ConcurrentHashMap<>();

    /**
     * Every environment starts {@link EnvironmentStatus#PULLING}: until the first round looked, its image is being
     * looked for or fetched, and a job of it would wait for that.
     */
    public EnvironmentReports(Environments environments) {
        this.environments = environments;
        environments.all().forEach(environment -> byName.put(environment.name(),
                new EnvironmentReport(EnvironmentStatus.PULLING, null, null)));
    }

    /** Each served environment's report, in {@link Environments#all()} order. */
    public Map<String, EnvironmentReport> current() {
        Map<String, EnvironmentReport> reports = new LinkedHashMap<>();
        environments.all().forEach(environment -> reports.put(environment.name(), byName.get(environment.name())));
        return reports;
    }

    /** Its image is absent and a pull of it runs. */
    void pulling(Environment environment) {
        byName.put(environment.name(), new EnvironmentReport(EnvironmentStatus.PULLING, null, null));
    }

    /** Its image is present as {@code imageId}; {@code rVersion} null until the image is listed. */
    void ready(Environment environment, String imageId, String rVersion) {
        byName.put(environment.name(), new EnvironmentReport(EnvironmentStatus.READY, imageId, rVersion));
    }

    /** Its image is neither present nor pullable. */
    void unavailable(Environment environment) {
        byName.put(environment.name(), new EnvironmentReport(EnvironmentStatus.UNAVAILABLE, null, null));
    }
}
