package rrunner.worker.sandbox;

import java.time.Instant;
import rrunner.common.job.Limits;

/**
 * A sandbox prepared ahead of its job: the confined container is running and R in it is loaded, blocked reading
 * the script it has not been sent yet. Single use: the job that takes it owns it and removes it afterwards.
 */
public final class WarmSandbox {

    private final String containerId;
    private final String imageId;
    private final Limits limits;
    private final Instant createdAt;
    private final AttachedExec exec;
    private final String workspaceStamp;

    WarmSandbox(String containerId, String imageId, Limits limits, Instant createdAt, AttachedExec exec,
            String workspaceStamp) {
        this.containerId = containerId;
        this.imageId = imageId;
        this.limits = limits;
        this.createdAt = createdAt;
        this.exec = exec;
        this.workspaceStamp = workspaceStamp;
    }

    public String containerId() {
        return containerId;
    }

    /** The id ({@code sha256:...}) of the image the container was created from. */
    public String imageId() {
        return imageId;
    }

    /** The memory and CPUs its container was made with: its environment's defaults. */
    public Limits limits() {
        return limits;
    }

    public Instant createdAt() {
        return createdAt;
    }

    /** False once R exited or the container went away while the sandbox waited; such a sandbox is discarded. */
    public boolean alive() {
        return exec.alive();
    }

    AttachedExec exec() {
        return exec;
    }

    /** The empty workspace's {@link WorkspaceStamps stamp} once R was waiting; null if Docker gave none. */
    String workspaceStamp() {
        return workspaceStamp;
    }
}
