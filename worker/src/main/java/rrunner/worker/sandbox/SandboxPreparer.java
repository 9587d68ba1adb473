package rrunner.worker.sandbox;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.transport.DockerHttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import rrunner.common.job.JobId;
import rrunner.common.job.Limits;
import rrunner.worker.config.DockerClientConfiguration;

/**
 * Prepares sandboxes ahead of their jobs with exactly the containers and exec a cold run uses
 * ({@link ContainerFactory}, {@link ScriptExec}), so a prepared sandbox is confined the same way; only the labels
 * differ ({@link SandboxLabels#forPool}), since the job is not known yet.
 */
public final class SandboxPreparer {

    // why: Docker answers an exec start in milliseconds; far longer means the daemon is struggling, and a
    // sandbox that is not known to be starting R should not be handed to a job
    private static final Duration START_WAIT = Duration.ofSeconds(20);
    // why: R starts in a few hundred milliseconds even on a busy machine; past this, waiting longer only keeps
    // a sandbox from a job that would otherwise start cold
    private static final Duration LOAD_WAIT = Duration.ofSeconds(10);

    private final DockerClient docker;
    private final SandboxProperties settings;
    private final SandboxOwner owner;
    private final ContainerFactory containers;
    private final ScriptExec exec;
    private final ScriptWaitProbe probe;
    private final WorkspaceStamps stamps;
    private final Clock clock = Clock.systemUTC();

    public SandboxPreparer(DockerClient docker, SandboxProperties settings, SandboxOwner owner) {
        this(docker, DockerClientConfiguration.transportOf(docker), settings, owner);
    }

    /** @param transport {@code docker}'s own transport, for the workspace's stat ({@link WorkspaceStamps}) */
    public SandboxPreparer(DockerClient docker, DockerHttpClient transport, SandboxProperties settings,
            SandboxOwner owner) {
        this.docker = docker;
        this.settings = settings;
        this.owner = owner;
        this.containers = new ContainerFactory(docker, settings);
        this.exec = new ScriptExec(docker, settings);
        this.probe = new ScriptWaitProbe(docker);
        this.stamps = new WorkspaceStamps(transport);
    }

    /**
     * Creates and starts a pool container from {@code imageId} with {@code limits}' memory and CPUs and starts R in
     * it; returns once R has loaded and waits for its script.
     *
     * @throws SandboxUnavailableException the sandbox could not be prepared; nothing of it is left
     */
    public WarmSandbox prepare(String imageId, Limits limits) throws InterruptedException {
        Instant now = clock.instant();
        String containerId = containers.create(SandboxLabels.forPool(owner, now), imageId, limits);
        AttachedExec attached = null;
        try {
            containers.start(containerId);
            attached = exec.attach(containerId);
            if (!attached.awaitStarted(START_WAIT)) {
                throw new SandboxUnavailableException("R did not start within " + START_WAIT);
            }
            probe.awaitWaiting(containerId, LOAD_WAIT);
            return new WarmSandbox(containerId, imageId, limits, now, attached, stamps.of(containerId));
        } catch (RuntimeException | InterruptedException e) {
            if (attached != null) {
                attached.close();
            }
            containers.remove(containerId);
            throw e;
        }
    }

    /**
     * Whether sandboxes of these settings may be prepared ahead at all: only with Docker's default runtime (runc),
     * the one the warm path is verified on. Under gVisor ({@code runsc}) on the build machines, sandboxes were seen
     * to lose exec output or die on their own (runsc's {@code WaitPID} failing) on cold and warm runs alike, and
     * Docker's top can't see into them, so gVisor jobs keep starting cold until the warm path is shown to hold
     * there.
     */
    public boolean canPrepare() {
        return settings.runtime().isBlank() || settings.runtime().equals("runc");
    }

    /** Names the container for its job, for the reaper ({@link SandboxLabels#jobOf}); false if Docker refused. */
    public boolean handOver(WarmSandbox sandbox, JobId jobId) {
        return containers.rename(sandbox.containerId(), SandboxLabels.jobName(jobId, sandbox.containerId()));
    }

    /** Ends R's wait and removes the container with its workspace; for sandboxes no job took. */
    public void destroy(WarmSandbox sandbox) {
        sandbox.exec().close();
        containers.remove(sandbox.containerId());
    }

    /** Removes a container by id, as {@link ContainerFactory#remove} does. */
    public void remove(String containerId) {
        containers.remove(containerId);
    }

    /** The id of the local image {@code image} names now; empty if it is not there or Docker failed. */
    public Optional<String> currentImageId(String image) {
        try {
            return Optional.ofNullable(docker.inspectImageCmd(image).exec().getId());
        } catch (RuntimeException absentOrFailed) {
            return Optional.empty();
        }
    }

    /** Ids of this worker's pool containers that no job took: what a pool shutting down must remove. */
    public List<String> untakenPoolContainers() {
        List<Container> listed = docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(SandboxLabels.MANAGED, "true", SandboxLabels.ROLE, SandboxLabels.ROLE_POOL,
                        SandboxLabels.DEPLOYMENT, owner.deployment(), SandboxLabels.WORKER, owner.workerId()))
                .exec();
        return listed.stream()
                .filter(c -> SandboxLabels.jobOf(c.getLabels(), c.getNames() == null ? List.of()
                        : List.of(c.getNames())).isEmpty())
                .map(Container::getId)
                .toList();
    }
}
