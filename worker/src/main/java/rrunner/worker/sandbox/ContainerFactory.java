package rrunner.worker.sandbox;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Driver;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.api.model.Ulimit;
import com.github.dockerjava.api.model.VolumeOptions;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates, starts and removes sandbox containers. A container only keeps itself alive ({@code sleep infinity});
 * scripts run in it through {@link ScriptExec}, so it can be made ready before its job is known and its
 * workspace outlives the script long enough to read the artifacts.
 */
public final class ContainerFactory {

    public static final String WORKSPACE = "/workspace";

    /** The container's whole environment on top of the image's: never anything of the worker's own. */
    static final List<String> ENV = List.of("HOME=/tmp", "TMPDIR=/tmp", "LANG=C.UTF-8");

    private static final Logger log = LoggerFactory.getLogger(ContainerFactory.class);

    private final DockerClient docker;
    private final SandboxProperties settings;

    public ContainerFactory(DockerClient docker, SandboxProperties settings) {
        this.docker = docker;
        this.settings = settings;
    }

    /** Creates the confined keeper container; nothing runs yet. */
    public String create(Map<String, String> labels) {
        CreateContainerResponse created;
        try {
            created = docker.createContainerCmd(settings.image())
                    .withCmd("sleep", "infinity")
                    .withUser(settings.user())
                    .withEnv(ENV)
                    .withWorkingDir(WORKSPACE)
                    .withLabels(labels)
                    .withHostConfig(hostConfig(labels))
                    .exec();
        } catch (NotFoundException e) {
            throw new SandboxUnavailableException(
                    "image " + settings.image() + " not found: " + SandboxUnavailableException.describe(e), e);
        } catch (RuntimeException e) {
            throw SandboxUnavailableException.of("creating the container", e);
        }
        String[] warnings = created.getWarnings();
        if (warnings != null && warnings.length > 0) {
            // why: warnings (e.g. a limit the kernel can't enforce) are the operator's concern, not the caller's
            log.warn("container {} created with warnings: {}", created.getId(), List.of(warnings));
        }
        return created.getId();
    }

    public void start(String containerId) {
        try {
            docker.startContainerCmd(containerId).exec();
        } catch (RuntimeException e) {
            throw SandboxUnavailableException.of("starting the container", e);
        }
    }

    /** Kills and removes the container with its workspace volume; safe to call for one already gone. */
    public void remove(String containerId) {
        try {
            docker.removeContainerCmd(containerId).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException alreadyGone) {
            log.debug("container {} already removed", containerId);
        } catch (RuntimeException e) {
            log.warn("could not remove container {}, the reaper will: {}", containerId,
                    SandboxUnavailableException.describe(e));
        }
    }

    /**
     * Stops everything in the container at once but leaves removing it to the thread running the job, so the
     * container is gone before that thread writes the job's result.
     */
    public void kill(String containerId) {
        try {
            docker.killContainerCmd(containerId).exec();
        } catch (NotFoundException | ConflictException notRunning) {
            log.debug("container {} is not running: {}", containerId, notRunning.getMessage());
        } catch (RuntimeException e) {
            log.warn("could not kill container {}: {}", containerId, SandboxUnavailableException.describe(e));
        }
    }

    HostConfig hostConfig(Map<String, String> labels) {
        long memory = settings.memory().toBytes();
        HostConfig host = HostConfig.newHostConfig()
                .withNetworkMode("none")
                .withReadonlyRootfs(true)
                .withCapDrop(Capability.ALL)
                .withSecurityOpts(List.of("no-new-privileges"))
                .withMemory(memory)
                .withMemorySwap(memory)
                .withNanoCPUs(Math.round(settings.cpus() * 1_000_000_000d))
                .withPidsLimit(settings.pidsLimit())
                .withUlimits(List.of(new Ulimit("nofile", (long) settings.nofile(), (long) settings.nofile())))
                .withTmpFs(Map.of("/tmp", "rw,nosuid,nodev,size=" + settings.tmpSize().toBytes()))
                .withMounts(List.of(workspaceMount(labels)));
        if (!settings.runtime().isBlank()) {
            host.withRuntime(settings.runtime());
        }
        return host;
    }

    /**
     * An anonymous tmpfs-backed volume rather than a plain tmpfs: the archive API, which artifacts are read
     * through, does not see plain tmpfs mounts; anonymous, so removing the container removes it too.
     */
    private Mount workspaceMount(Map<String, String> labels) {
        String options = "size=" + settings.workspaceSize().toBytes()
                + ",uid=" + settings.uid() + ",gid=" + settings.gid() + ",mode=0700";
        return new Mount()
                .withType(MountType.VOLUME)
                .withTarget(WORKSPACE)
                .withVolumeOptions(new VolumeOptions()
                        .withNoCopy(true)
                        .withLabels(labels)
                        .withDriverConfig(new Driver()
                                .withName("local")
                                .withOptions(Map.of("type", "tmpfs", "device", "tmpfs", "o", options))));
    }
}
