package rrunner.worker.sandbox;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import rrunner.common.job.JobId;

/**
 * Labels on every container and volume the worker creates, so a reaper can find what a crashed worker left
 * behind without any state of its own.
 *
 * <p>A {@link #ROLE_POOL pool} container is created before its job is known, and Docker labels can't change after
 * creation, so it carries no {@link #JOB} label. When a job takes it, the container is renamed
 * {@code rrunner-job-<job id>-<container id prefix>} instead (a name can change on a running container);
 * {@link #jobOf} reads the job from either place, so one reaper rule covers both kinds.
 */
public final class SandboxLabels {

    /** {@code true} on everything the worker created. */
    public static final String MANAGED = "rrunner.managed";
    /** {@link #ROLE_JOB}, {@link #ROLE_POOL}, {@link #ROLE_SESSION} or {@link #ROLE_INVENTORY}. */
    public static final String ROLE = "rrunner.role";
    public static final String JOB = "rrunner.job";
    /** The Redis key prefix of the deployment whose worker made it; see {@link SandboxOwner}. */
    public static final String DEPLOYMENT = "rrunner.deployment";
    public static final String WORKER = "rrunner.worker";
    /** Epoch seconds at creation, so age can be judged without inspecting each container. */
    public static final String CREATED = "rrunner.created";
    /** The session a {@link #ROLE_SESSION session} container serves. */
    public static final String SESSION = "rrunner.session";
    /**
     * Epoch seconds at which a session ends whatever happens (its hard maximum lifetime), so a reaper can remove its
     * container even when Redis lost the session.
     */
    public static final String SESSION_ENDS = "rrunner.session-ends";

    public static final String ROLE_JOB = "job";
    public static final String ROLE_INVENTORY = "inventory";
    /** A sandbox prepared ahead of its job; see the class comment for how its job is found. */
    public static final String ROLE_POOL = "pool";
    /** A stateful session's container: it serves many scripts over its life and belongs to no job. */
    public static final String ROLE_SESSION = "session";

    /** How a taken pool container's name starts; the job id follows. */
    public static final String JOB_NAME_PREFIX = "rrunner-job-";

    /** The label filter value selecting everything the worker created. */
    public static final String MANAGED_FILTER = MANAGED + "=true";

    private SandboxLabels() {
    }

    public static Map<String, String> forJob(JobId jobId, SandboxOwner owner, Instant now) {
        Map<String, String> labels = base(ROLE_JOB, owner, now);
        labels.put(JOB, jobId.value());
        return Map.copyOf(labels);
    }

    /** Labels of a pool container: no job yet, see {@link #jobName}. */
    public static Map<String, String> forPool(SandboxOwner owner, Instant now) {
        return Map.copyOf(base(ROLE_POOL, owner, now));
    }

    /** The name a pool container gets when {@code jobId} takes it; unique per container, so retries never clash. */
    public static String jobName(JobId jobId, String containerId) {
        return JOB_NAME_PREFIX + jobId.value() + "-" + containerId.substring(0, Math.min(12, containerId.length()));
    }

    /**
     * The job a container runs: its {@link #JOB} label, else a {@link #jobName job name} (Docker lists names with a
     * leading slash); empty for a container without a job, such as an idle pool container.
     */
    public static Optional<JobId> jobOf(Map<String, String> labels, List<String> names) {
        String label = labels == null ? null : labels.get(JOB);
        if (label != null) {
            return JobId.isWellFormed(label) ? Optional.of(new JobId(label)) : Optional.empty();
        }
        for (String name : names == null ? List.<String>of() : names) {
            String bare = name.startsWith("/") ? name.substring(1) : name;
            if (bare.startsWith(JOB_NAME_PREFIX) && bare.length() >= JOB_NAME_PREFIX.length() + 36) {
                String id = bare.substring(JOB_NAME_PREFIX.length(), JOB_NAME_PREFIX.length() + 36);
                if (JobId.isWellFormed(id)) {
                    return Optional.of(new JobId(id));
                }
            }
        }
        return Optional.empty();
    }

    /** Labels of a session's container; {@code endsAt} is the session's hard end, whatever its idle time. */
    public static Map<String, String> forSession(String sessionId, Instant endsAt, SandboxOwner owner, Instant now) {
        Map<String, String> labels = base(ROLE_SESSION, owner, now);
        labels.put(SESSION, sessionId);
        labels.put(SESSION_ENDS, Long.toString(endsAt.getEpochSecond()));
        return Map.copyOf(labels);
    }

    /** Whether a container is a session's, by its {@link #ROLE} label. */
    public static boolean isSession(Map<String, String> labels) {
        return labels != null && ROLE_SESSION.equals(labels.get(ROLE));
    }

    /** When a session container's session ends at the latest; empty when the label is missing or not a number. */
    public static Optional<Instant> sessionEndsOf(Map<String, String> labels) {
        String ends = labels == null ? null : labels.get(SESSION_ENDS);
        if (ends == null || !ends.matches("\\d{1,18}")) {
            return Optional.empty();
        }
        return Optional.of(Instant.ofEpochSecond(Long.parseLong(ends)));
    }

    public static Map<String, String> forInventory(SandboxOwner owner, Instant now) {
        return Map.copyOf(base(ROLE_INVENTORY, owner, now));
    }

    private static Map<String, String> base(String role, SandboxOwner owner, Instant now) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(MANAGED, "true");
        labels.put(ROLE, role);
        labels.put(DEPLOYMENT, owner.deployment());
        labels.put(WORKER, owner.workerId());
        labels.put(CREATED, Long.toString(now.getEpochSecond()));
        return labels;
    }
}
