package rrunner.worker.sandbox;

import java.util.Optional;
import rrunner.common.job.JobId;

/** Where {@link ContainerRunner} looks for a prepared sandbox before it starts one cold. */
@FunctionalInterface
public interface WarmSandboxes {

    /** No prepared sandboxes: every run starts cold. */
    WarmSandboxes NONE = (jobId, imageId) -> Optional.empty();

    /**
     * Hands a ready sandbox over to {@code jobId}, or nothing at once: never waits for one to be prepared.
     *
     * @param imageId the id of the image the job must run in; null means whichever image the source considers
     *     current
     */
    Optional<WarmSandbox> take(JobId jobId, String imageId);
}
