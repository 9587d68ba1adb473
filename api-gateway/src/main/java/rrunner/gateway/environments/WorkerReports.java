package rrunner.gateway.environments;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import rrunner.common.environment.EnvironmentReport;
import rrunner.common.environment.EnvironmentStatus;
import rrunner.common.queue.WorkerRegistry.LiveWorker;

/**
 * What the live workers' last heartbeats say about each environment: per environment the most useful report (a
 * ready one over a pulling one, and one that names its image over one that doesn't).
 *
 * @param liveWorkers how many workers are live
 * @param best per environment name, the best report of any live worker
 */
record WorkerReports(int liveWorkers, Map<String, EnvironmentReport> best) {

    /**
     * A worker from before environments reports none (an empty map): it serves the default environment only, from
     * an image it does not name here.
     */
    static WorkerReports of(List<LiveWorker> live, String defaultEnvironment) {
        Map<String, EnvironmentReport> best = new HashMap<>();
        for (LiveWorker worker : live) {
            Map<String, EnvironmentReport> reports = worker.heartbeat().environments();
            if (reports.isEmpty()) {
                reports = Map.of(defaultEnvironment, new EnvironmentReport(EnvironmentStatus.READY, null, null));
            }
            reports.forEach((name, report) -> best.merge(name, report, WorkerReports::better));
        }
        return new WorkerReports(live.size(), Map.copyOf(best));
    }

    /** {@code unavailable} where no live worker reports the environment. */
    EnvironmentStatus status(String environment) {
        return report(environment).map(EnvironmentReport::status).orElse(EnvironmentStatus.UNAVAILABLE);
    }

    Optional<EnvironmentReport> report(String environment) {
        return Optional.ofNullable(best.get(environment));
    }

    private static EnvironmentReport better(EnvironmentReport a, EnvironmentReport b) {
        if (a.status() != b.status()) {
            return EnvironmentStatus.best(a.status(), b.status()) == a.status() ? a : b;
        }
        return a.imageId() == null && b.imageId() != null ? b : a;
    }
}
