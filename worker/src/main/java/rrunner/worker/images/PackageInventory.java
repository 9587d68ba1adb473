package rrunner.worker.images;

import com.github.dockerjava.api.DockerClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import rrunner.common.environment.Environment;
import rrunner.common.job.Limits;
import rrunner.common.system.ImageInventory;
import rrunner.worker.sandbox.ContainerFactory;
import rrunner.worker.sandbox.OutputListener;
import rrunner.worker.sandbox.SandboxLabels;
import rrunner.worker.sandbox.SandboxOwner;
import rrunner.worker.sandbox.SandboxProperties;
import rrunner.worker.sandbox.SandboxUnavailableException;
import rrunner.worker.sandbox.ScriptExec;

/**
 * Lists an execution image's R version and installed packages, once per image id: an image id names fixed
 * content, so the listing never goes stale while the id stays the same. The listing runs in a sandbox exactly
 * like a job's (same confinement, labelled as an inventory run) and its container is removed in every outcome.
 */
public class PackageInventory {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final DockerClient docker;
    private final SandboxProperties settings;
    private final SandboxOwner owner;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, ImageInventory> byImageId = new ConcurrentHashMap<>();

    public PackageInventory(DockerClient docker, SandboxProperties settings, SandboxOwner owner) {
        this.docker = docker;
        this.settings = settings;
        this.owner = owner;
    }

    /**
     * @param environment whose image is listed, under its default limits; its image name is reported as is
     * @param imageId the id {@link ImagePuller#ensure} returned; the listing runs in exactly this image
     * @throws SandboxUnavailableException the listing could not be run or made no sense
     */
    public ImageInventory of(Environment environment, String imageId) {
        ImageInventory known = byImageId.get(imageId);
        if (known != null) {
            return known;
        }
        // why: one listing at a time, so runs that ask together start one container, not one each
        synchronized (this) {
            return byImageId.computeIfAbsent(imageId, id -> list(environment.image(), id, environment.defaults()));
        }
    }

    private ImageInventory list(String image, String imageId, Limits limits) {
        ContainerFactory containers = new ContainerFactory(docker, settings);
        String containerId = containers.create(SandboxLabels.forInventory(owner, clock.instant()), imageId, limits);
        try {
            containers.start(containerId);
            ScriptExec exec = new ScriptExec(docker, settings);
            ScriptExec.Run run = exec.run(containerId, InventoryListing.SCRIPT, TIMEOUT, OutputListener.IGNORE);
            Integer exitCode = run.finished() && run.streamError() == null ? exec.exitCode(run.execId()) : null;
            if (exitCode == null || exitCode != 0) {
                throw new SandboxUnavailableException("listing the packages of " + image + " failed (exit code "
                        + exitCode + "): " + run.stderr().strip());
            }
            return InventoryListing.parse(image, imageId, run.stdout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxUnavailableException("interrupted while listing the packages of " + image, e);
        } catch (IllegalArgumentException e) {
            throw new SandboxUnavailableException("listing the packages of " + image + " failed: " + e.getMessage(), e);
        } finally {
            containers.remove(containerId);
        }
    }
}
