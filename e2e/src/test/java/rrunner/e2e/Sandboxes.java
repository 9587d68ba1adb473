package rrunner.e2e;

import com.github.dockerjava.api.model.Container;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.testcontainers.DockerClientFactory;
import rrunner.worker.sandbox.SandboxLabels;

/**
 * The sandbox containers on the tests' Docker engine, picked by the worker id on their label: other builds may
 * share the engine, so a test looks only at its own workers' containers.
 */
final class Sandboxes {

    private Sandboxes() {
    }

    /** Every container of the matching workers, idle warm-pool sandboxes included. */
    static List<Container> of(Predicate<String> worker) {
        return DockerClientFactory.instance().client().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(SandboxLabels.MANAGED, "true")).exec().stream()
                .filter(c -> worker.test(c.getLabels().getOrDefault(SandboxLabels.WORKER, "")))
                .toList();
    }

    /** The matching workers' containers that run or ran a job; a worker between jobs has none. */
    static List<Container> withJobsOf(Predicate<String> worker) {
        return of(worker).stream()
                .filter(c -> SandboxLabels.jobOf(c.getLabels(), c.getNames() == null ? List.of()
                        : List.of(c.getNames())).isPresent())
                .toList();
    }
}
