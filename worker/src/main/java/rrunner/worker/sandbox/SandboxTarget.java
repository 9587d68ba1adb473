package rrunner.worker.sandbox;

import java.util.Objects;
import rrunner.common.environment.Environment;
import rrunner.common.job.JobSpec;
import rrunner.common.job.Limits;

/**
 * What a job's sandbox is made of: its environment's image and the limits it runs under.
 *
 * @param environment the environment's name; a warm sandbox is taken from that environment's pool only
 * @param image the environment's image by name: what a cold start uses when no image id is pinned
 * @param imageId the id ({@code sha256:...}) the sandbox must be made from ({@code ImagePuller.ensure}); null
 *     accepts whichever image the environment's pool considers current, or the name's for a cold start
 * @param limits the timeout the script gets and the memory (swap the same) and CPUs its container gets
 */
public record SandboxTarget(String environment, String image, String imageId, Limits limits) {

    public SandboxTarget {
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(limits, "limits");
    }

    /** The sandbox {@code spec} asks for in {@code environment}: its own limits, the environment's where it gives 0. */
    public static SandboxTarget of(Environment environment, JobSpec spec, String imageId) {
        return new SandboxTarget(environment.name(), environment.image(), imageId, limitsOf(environment, spec));
    }

    /**
     * The limits a job runs under. A gateway resolves them before it queues the job; 0 comes only from gateways older
     * than per-request limits, and means the environment's default.
     */
    public static Limits limitsOf(Environment environment, JobSpec spec) {
        Limits defaults = environment.defaults();
        return new Limits(spec.timeoutSeconds(),
                spec.memoryMb() > 0 ? spec.memoryMb() : defaults.memoryMb(),
                spec.cpus() > 0 ? spec.cpus() : defaults.cpus());
    }

    /** What a cold start creates its container from. */
    String imageOrId() {
        return imageId != null ? imageId : image;
    }
}
