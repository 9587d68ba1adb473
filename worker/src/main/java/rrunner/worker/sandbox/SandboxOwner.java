package rrunner.worker.sandbox;

import java.util.Map;
import java.util.Objects;

/**
 * Who a sandbox belongs to, written on its labels: the deployment ({@link DeploymentId}) and the worker in it.
 * Deployments may share a Docker engine (staging beside production, a test run beside a dev service); a reaper
 * judges only its own deployment's containers, since another's jobs and workers are unknown to its Redis.
 */
public record SandboxOwner(String deployment, String workerId) {

    public SandboxOwner {
        Objects.requireNonNull(deployment, "deployment");
        Objects.requireNonNull(workerId, "workerId");
    }

    /** The label filter selecting everything this deployment's workers created. */
    public static Map<String, String> deploymentScope(String deployment) {
        return Map.of(SandboxLabels.MANAGED, "true", SandboxLabels.DEPLOYMENT, deployment);
    }
}
