package rrunner.worker.sandbox;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import rrunner.common.job.JobId;

/**
 * Labels on every container and volume the worker creates, so a reaper can find what a crashed worker left
 * behind without any state of its own.
 */
public final class SandboxLabels {

    /** {@code true} on everything the worker created. */
    public static final String MANAGED = "rrunner.managed";
    /** {@link #ROLE_JOB} or {@link #ROLE_INVENTORY}. */
    public static final String ROLE = "rrunner.role";
    public static final String JOB = "rrunner.job";
    public static final String WORKER = "rrunner.worker";
    /** Epoch seconds at creation, so age can be judged without inspecting each container. */
    public static final String CREATED = "rrunner.created";

    public static final String ROLE_JOB = "job";
    public static final String ROLE_INVENTORY = "inventory";

    /** The label filter value selecting everything the worker created. */
    public static final String MANAGED_FILTER = MANAGED + "=true";

    private SandboxLabels() {
    }

    public static Map<String, String> forJob(JobId jobId, String workerId, Instant now) {
        Map<String, String> labels = base(ROLE_JOB, workerId, now);
        labels.put(JOB, jobId.value());
        return Map.copyOf(labels);
    }

    public static Map<String, String> forInventory(String workerId, Instant now) {
        return Map.copyOf(base(ROLE_INVENTORY, workerId, now));
    }

    private static Map<String, String> base(String role, String workerId, Instant now) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(MANAGED, "true");
        labels.put(ROLE, role);
        labels.put(WORKER, workerId);
        labels.put(CREATED, Long.toString(now.getEpochSecond()));
        return labels;
    }
}
