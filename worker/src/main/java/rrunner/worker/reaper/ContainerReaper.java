package rrunner.worker.reaper;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectVolumeResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import rrunner.common.job.JobId;
import rrunner.common.job.JobRecord;
import rrunner.common.job.JobState;
import rrunner.common.queue.JobQueue;
import rrunner.worker.sandbox.SandboxLabels;

/**
 * Removes what no live attempt owns: sandbox containers whose job ended, was given to another worker, or is gone
 * from Redis, and labelled workspace volumes whose container is gone. Workers share a Docker host, so a container
 * is kept while its job is running under the lease of the worker named on its label, whichever worker that is.
 */
public class ContainerReaper {

    /** Containers without a job (inventory runs) live seconds; anything this old was left by a crash. */
    public static final Duration DEFAULT_JOBLESS_MAX_AGE = Duration.ofMinutes(10);

    private static final Logger log = LoggerFactory.getLogger(ContainerReaper.class);
    private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(5);

    private final DockerClient docker;
    private final JobQueue queue;
    private final Duration joblessMaxAge;
    private final Map<String, String> labelFilter;
    private final Clock clock = Clock.systemUTC();

    public ContainerReaper(DockerClient docker, JobQueue queue) {
        this(docker, queue, DEFAULT_JOBLESS_MAX_AGE, Map.of());
    }

    /**
     * @param joblessMaxAge containers without a job label older than this are removed
     * @param scope labels a container or volume must carry, besides {@code rrunner.managed=true}, to be looked at
     *     at all; empty in a worker. Tests scope a reaper to their own worker label, since everything else on a
     *     shared engine is unknown to their Redis and would look orphaned.
     */
    public ContainerReaper(DockerClient docker, JobQueue queue, Duration joblessMaxAge, Map<String, String> scope) {
        this.docker = docker;
        this.queue = queue;
        this.joblessMaxAge = joblessMaxAge;
        Map<String, String> filter = new HashMap<>(scope);
        filter.put(SandboxLabels.MANAGED, "true");
        this.labelFilter = Map.copyOf(filter);
    }

    /** What one sweep removed. */
    public record Reaped(int containers, int volumes) {
    }

    public Reaped reap() {
        Reaped reaped = new Reaped(reapContainers(), reapVolumes());
        if (reaped.containers() > 0 || reaped.volumes() > 0) {
            log.warn("removed {} orphaned sandbox container(s) and {} dangling workspace volume(s)",
                    reaped.containers(), reaped.volumes());
        }
        return reaped;
    }

    private int reapContainers() {
        List<Container> containers;
        try {
            containers = docker.listContainersCmd().withShowAll(true).withLabelFilter(labelFilter).exec();
        } catch (RuntimeException e) {
            log.warn("could not look for orphaned containers: {}", e.toString());
            return 0;
        }
        int removed = 0;
        for (Container container : containers) {
            try {
                if (isOrphan(container.getLabels(), Instant.ofEpochSecond(container.getCreated()))) {
                    removeContainer(container.getId());
                    removed++;
                }
            } catch (RuntimeException e) {
                // why: an unreadable job is not an absent one; keep the container and try again next sweep
                log.warn("could not judge or remove container {}: {}", container.getId(), e.toString());
            }
        }
        return removed;
    }

    /**
     * Workspace volumes are anonymous and go with their container ({@code removeVolumes}); one is left dangling
     * only when its container was removed some other way (by hand, or by Docker after a failed create).
     * A volume is never dangling while a container is being created with it: Docker takes the reference when it
     * creates the volume.
     */
    private int reapVolumes() {
        List<InspectVolumeResponse> volumes;
        try {
            volumes = docker.listVolumesCmd().withDanglingFilter(true)
                    .withFilter("label", labelFilter.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                            .toList())
                    .exec().getVolumes();
        } catch (RuntimeException e) {
            log.warn("could not look for dangling volumes: {}", e.toString());
            return 0;
        }
        int removed = 0;
        for (InspectVolumeResponse volume : volumes == null ? List.<InspectVolumeResponse>of() : volumes) {
            try {
                docker.removeVolumeCmd(volume.getName()).exec();
                removed++;
            } catch (NotFoundException | ConflictException goneOrTaken) {
                log.debug("volume {} not removed: {}", volume.getName(), goneOrTaken.getMessage());
            } catch (RuntimeException e) {
                log.warn("could not remove volume {}: {}", volume.getName(), e.toString());
            }
        }
        return removed;
    }

    private boolean isOrphan(Map<String, String> labels, Instant created) {
        String job = labels.get(SandboxLabels.JOB);
        if (job == null || !JobId.isWellFormed(job)) {
            return created.isBefore(clock.instant().minus(joblessMaxAge));
        }
        JobRecord record = queue.find(new JobId(job)).block(REDIS_TIMEOUT);
        return record == null
                || record.state() != JobState.RUNNING
                || !labels.getOrDefault(SandboxLabels.WORKER, "").equals(record.attemptedBy());
    }

    private void removeContainer(String containerId) {
        try {
            docker.removeContainerCmd(containerId).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException alreadyGone) {
            // why: its own worker removed it between our listing and now
            log.debug("container {} already removed", containerId);
        }
    }
}
