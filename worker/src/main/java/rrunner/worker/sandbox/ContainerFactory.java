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
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.unit.DataSize;
import rrunner.common.job.Limits;

/**
 * Creates, starts and removes sandbox containers. A container only keeps itself alive ({@link #KEEPER}); scripts
 * run in it through {@link ScriptExec}, so it can be made ready before its job is known and its workspace
 * outlives the script long enough to read the artifacts.
 */
public final class ContainerFactory {

    public static final String WORKSPACE = "/workspace";

    /**
     * PID 1 of every sandbox. It must reap: orphans (each {@code system("cmd &")} leaves one) are handed to PID 1,
     * and under a plain {@code sleep infinity} every one that exited stayed a zombie holding a slot of the pids
     * limit until the run ended, so a script could run out of processes with almost none alive. The shell's
     * {@code wait} reaps any child; the loop restarts its {@code sleep} if anything ends it.
     */
    static final String[] KEEPER = {"sh", "-c", "while :; do sleep 86400 & wait $!; done"};

    /** The container's whole environment on top of the image's: never anything of the worker's own. */
    public static final List<String> ENV = List.of("HOME=/tmp", "TMPDIR=/tmp", "LANG=C.UTF-8");

    /** Spelled out though Docker adds them to any tmpfs: nothing written there may run, or be setuid or a device. */
    static final String TMP_OPTIONS = "rw,noexec,nosuid,nodev";

    /** The CFS period Docker uses for {@code --cpus}; the quota is this many microseconds times the cores. */
    static final long CPU_PERIOD_MICROS = 100_000;

    private static final Logger log = LoggerFactory.getLogger(ContainerFactory.class);
    /**
     * why a retry: runc gives up with "unable to freeze" when a task does not stop within its own short wait, which
     * these machines showed under load (a busy CI run); a moment later the same freeze succeeds. A container that
     * will not freeze at all still fails the run after the last try, and the job is retried as after any
     * infrastructure failure.
     */
    private static final Retry FREEZE = Retry.of("sandbox-freeze", RetryConfig.custom()
            .maxAttempts(3)
            .waitDuration(Duration.ofMillis(200))
            .retryOnException(e -> String.valueOf(e.getMessage()).contains("unable to freeze"))
            .build());

    private final DockerClient docker;
    private final SandboxProperties settings;

    public ContainerFactory(DockerClient docker, SandboxProperties settings) {
        this.docker = docker;
        this.settings = settings;
    }

    /**
     * Creates the confined keeper container from {@code image}, a name or an image id, with {@code limits}' memory
     * and CPUs; nothing runs yet. A pool passes the id it resolved, so it knows exactly which image each of its
     * sandboxes runs.
     */
    public String create(Map<String, String> labels, String image, Limits limits) {
        CreateContainerResponse created;
        try {
            created = docker.createContainerCmd(image)
                    .withCmd(KEEPER)
                    .withUser(settings.user())
                    .withEnv(ENV)
                    .withWorkingDir(WORKSPACE)
                    .withLabels(labels)
                    .withHostConfig(hostConfig(labels, limits))
                    .exec();
        } catch (NotFoundException e) {
            throw new SandboxUnavailableException(
                    "image " + image + " not found: " + SandboxUnavailableException.describe(e), e);
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

    /**
     * Gives a container (a running one too) other memory and CPU limits, as {@code docker update} does; the kernel
     * applies them at once to everything in it.
     *
     * @throws SandboxUnavailableException Docker refused, for instance a memory limit below what the container
     *     uses now
     */
    public void resize(String containerId, Limits limits) {
        long memory = memoryBytes(limits);
        try {
            docker.updateContainerCmd(containerId)
                    .withMemory(memory)
                    .withMemorySwap(memory)
                    .withCpuPeriod(CPU_PERIOD_MICROS)
                    .withCpuQuota(cpuQuota(limits))
                    .exec();
        } catch (RuntimeException e) {
            throw SandboxUnavailableException.of("resizing the container", e);
        }
    }

    /**
     * Unpacks {@code tar} into the workspace through the archive API, as the tar's headers say (owner, mode). The
     * container must be running: its workspace volume is mounted only then.
     */
    public void copyIntoWorkspace(String containerId, byte[] tar) {
        try {
            docker.copyArchiveToContainerCmd(containerId)
                    .withRemotePath(WORKSPACE)
                    .withTarInputStream(new ByteArrayInputStream(tar))
                    .exec();
        } catch (RuntimeException e) {
            throw SandboxUnavailableException.of("placing the input files", e);
        }
    }

    /** Whether a container made with {@code made} has {@code wanted}'s memory and CPUs (timeouts aside). */
    static boolean sameResources(Limits made, Limits wanted) {
        return memoryBytes(made) == memoryBytes(wanted) && cpuQuota(made) == cpuQuota(wanted);
    }

    /** Renames a container, even a running one; false (and logged) if Docker refused. */
    public boolean rename(String containerId, String name) {
        try {
            docker.renameContainerCmd(containerId).withName(name).exec();
            return true;
        } catch (NotFoundException alreadyGone) {
            log.debug("container {} is gone, not renamed", containerId);
            return false;
        } catch (RuntimeException e) {
            log.warn("could not rename container {} to {}: {}", containerId, name,
                    SandboxUnavailableException.describe(e));
            return false;
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

    /**
     * Freezes every process in the container (the cgroup freezer, or gVisor's pause): nothing in it runs until it
     * is thawed or removed, and nothing has to start inside it for that, whatever the script did to its limits.
     * The archive API still reads a frozen container's workspace.
     */
    public void freeze(String containerId) {
        try {
            FREEZE.executeRunnable(() -> docker.pauseContainerCmd(containerId).exec());
        } catch (RuntimeException e) {
            throw SandboxUnavailableException.of("freezing the container", e);
        }
    }

    /**
     * Thaws a frozen container so it can be removed at once: gVisor can't kill a paused sandbox, and Docker then
     * waits 10 s before giving up on the removal.
     */
    public void thaw(String containerId) {
        try {
            docker.unpauseContainerCmd(containerId).exec();
        } catch (RuntimeException e) {
            log.debug("could not thaw container {}: {}", containerId, SandboxUnavailableException.describe(e));
        }
    }

    HostConfig hostConfig(Map<String, String> labels, Limits limits) {
        long memory = memoryBytes(limits);
        HostConfig host = HostConfig.newHostConfig()
                .withNetworkMode("none")
                .withReadonlyRootfs(true)
                .withCapDrop(Capability.ALL)
                .withSecurityOpts(List.of("no-new-privileges"))
                .withMemory(memory)
                .withMemorySwap(memory)
                // why a quota, not NanoCPUs: Docker refuses to update the quota of a container made with NanoCPUs,
                // and a warm sandbox is resized for a job that asks for other CPUs
                .withCpuPeriod(CPU_PERIOD_MICROS)
                .withCpuQuota(cpuQuota(limits))
                .withPidsLimit(settings.pidsLimit())
                .withUlimits(List.of(
                        new Ulimit("nofile", (long) settings.nofile(), (long) settings.nofile()),
                        // why: no file, sparse or not, may claim more than the mounts hold; its archive would
                        // carry every byte of its apparent size
                        new Ulimit("fsize", settings.maxFileBytes(), settings.maxFileBytes()),
                        // why: a crashing R must not write a core of its whole memory into the workspace
                        new Ulimit("core", 0L, 0L)))
                .withTmpFs(Map.of("/tmp", TMP_OPTIONS + ",size=" + settings.tmpSize().toBytes()))
                .withMounts(List.of(workspaceMount(labels)));
        if (!settings.runtime().isBlank()) {
            host.withRuntime(settings.runtime());
        }
        return host;
    }

    private static long memoryBytes(Limits limits) {
        return DataSize.ofMegabytes(limits.memoryMb()).toBytes();
    }

    private static long cpuQuota(Limits limits) {
        return Math.round(limits.cpus() * CPU_PERIOD_MICROS);
    }

    /**
     * An anonymous tmpfs-backed volume rather than a plain tmpfs: the archive API, which artifacts are read
     * through, does not see plain tmpfs mounts; anonymous, so removing the container removes it too.
     * {@code nosuid,nodev,noexec} as Docker gives {@code /tmp}: with the root filesystem read-only, no writable
     * place is left to drop and run a binary from, and a setuid bit or device node made there means nothing even
     * if another confinement failed.
     */
    private Mount workspaceMount(Map<String, String> labels) {
        String options = "size=" + settings.workspaceSize().toBytes()
                + ",uid=" + settings.uid() + ",gid=" + settings.gid() + ",mode=0700,nosuid,nodev,noexec";
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
