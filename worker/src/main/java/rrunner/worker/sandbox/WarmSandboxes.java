package rrunner.worker.sandbox;

import java.util.Optional;
import rrunner.common.job.JobId;

/** Where {@link ContainerRunner} looks for a prepared sandbox before it starts one cold. */
@FunctionalInterface
public interface WarmSandboxes {

    /** No prepared sandboxes: every run starts cold. */
    WarmSandboxes NONE = (jobId, target) -> Optional.empty();

    /**
     * Hands a ready sandbox of {@code target}'s environment and image over to {@code jobId}, or nothing at once:
     * never waits for one to be prepared. Its limits may differ from the target's; the caller resizes it.
     *
     * @param target the sandbox the job needs; a null {@link SandboxTarget#imageId()} means whichever image the
     *     source considers current for the environment
     */
    Optional<WarmSandbox> take(JobId jobId, SandboxTarget target);
}
