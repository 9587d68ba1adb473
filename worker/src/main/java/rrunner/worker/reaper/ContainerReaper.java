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
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import rrunner.common.job.JobId;
import rrunner.common.job.JobRecord;
import rrunner.common.job.JobState;
import rrunner.common.queue.JobQueue;
import rrunner.common.queue.WorkerRegistry;
import rrunner.worker.sandbox.SandboxLabels;
import rrunner.worker.sandbox.SandboxOwner;

/**
 * Removes what no live attempt owns: sandbox containers whose job ended, was given to another worker, or is gone
 * from Redis, and labelled workspace volumes whose container is gone. Workers share a Docker host, so a container
 * is kept while its job is running under the lease of the worker named on its label, whichever worker that is.
 *
 * <p>A container's job is its {@code rrunner.job} label or, for a warm-pool container a job took, its name
 * ({@link SandboxLabels#jobOf}): labels can't change after creation. A container without a job (an idle pool
 * sandbox, an inventory run) belongs to the worker on its label: it is removed once that worker is no longer in
 * the worker registry (it was killed, so nothing else will remove it), and in any case once older than the
 * jobless age, which outlasts the pool's idle age.
 *
 * <p>A session's container lives as long as its session, far longer than the jobless age, so it has a rule of its
 * own: it is removed once its worker is no longer registered (as a jobless one is), or once the session's hard end
 * on its label ({@link SandboxLabels#SESSION_ENDS}) has passed, which needs nothing from Redis: a session Redis lost
 * still ends.
 */
public class ContainerReaper {

    /** Containers without a job (inventory runs) live seconds; anything this old was left by a crash. */
    public static final Duration DEFAULT_JOBLESS_MAX_AGE = Duration.ofMinutes(10);
    /** How long past its idle age a pool container may live: the pool retires it within one upkeep round. */
    private static final Duration POOL_MARGIN = Duration.ofMinutes(5);

    private static final Logger log = LoggerFactory.getLogger(ContainerReaper.class);
    private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(5);

    private final DockerClient docker;
    private final JobQueue queue;
    private final WorkerRegistry workers;
    private final Duration workerMaxAge;
    private final Duration joblessMaxAge;
    private final Map<String, String> labelFilter;
    private final Clock clock = Clock.systemUTC();

    /**
     * @param workers the registry telling which workers are alive
     * @param workerMaxAge how long after its last heartbeat a worker counts as alive; also how young a jobless
     *     container of an unregistered worker is kept, since a starting worker creates some before its first beat
     * @param joblessMaxAge containers without a job older than this are removed, whoever made them
     * @param scope labels a container or volume must carry, besides {@code rrunner.managed=true}, to be looked at
     *     at all: a worker's own deployment ({@link SandboxOwner#deploymentScope}), since another deployment's
     *     jobs and workers are unknown to this Redis and would look orphaned; tests narrow it to their own worker.
     */
    public ContainerReaper(DockerClient docker, JobQueue queue, WorkerRegistry workers, Duration workerMaxAge,
            Duration joblessMaxAge, Map<String, String> scope) {
        this.docker = docker;
        this.queue = queue;
        this.workers = workers;
        this.workerMaxAge = workerMaxAge;
        this.joblessMaxAge = joblessMaxAge;
        Map<String, String> filter = new HashMap<>(scope);
        filter.put(SandboxLabels.MANAGED, "true");
        this.labelFilter = Map.copyOf(filter);
    }

    /**
     * The jobless age for a worker whose pool retires idle sandboxes at {@code poolMaxIdle}: a pool sandbox the
     * pool still owns is never older than that plus one upkeep round (at most 30 s).
     */
    public static Duration joblessMaxAge(Duration poolMaxIdle) {
        Duration pool = poolMaxIdle.plus(POOL_MARGIN);
        return pool.compareTo(DEFAULT_JOBLESS_MAX_AGE) > 0 ? pool : DEFAULT_JOBLESS_MAX_AGE;
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
        Optional<Set<String>> live = liveWorkers();
        int removed = 0;
        for (Container container : containers) {
            try {
                if (isOrphan(container, live)) {
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

    /** The ids of live workers; empty when the registry can't be read, so no container is judged by it. */
    private Optional<Set<String>> liveWorkers() {
        try {
            return Optional.of(workers.liveWorkers(workerMaxAge).block(REDIS_TIMEOUT).stream()
                    .map(worker -> worker.heartbeat().workerId()).collect(Collectors.toSet()));
        } catch (RuntimeException e) {
            log.warn("could not read the live workers; keeping jobless containers this sweep: {}", e.toString());
            return Optional.empty();
        }
    }

    private boolean isOrphan(Container container, Optional<Set<String>> live) {
        Map<String, String> labels = container.getLabels() == null ? Map.of() : container.getLabels();
        Instant now = clock.instant();
        if (SandboxLabels.isSession(labels)) {
            // why a missing or unreadable end counts as passed: nothing else would ever end such a container
            boolean ended = SandboxLabels.sessionEndsOf(labels).map(ends -> !ends.isAfter(now)).orElse(true);
            return ended || ownerGone(container, labels, live, now);
        }
        Optional<JobId> job = SandboxLabels.jobOf(labels,
                container.getNames() == null ? List.of() : List.of(container.getNames()));
        if (job.isEmpty()) {
            Instant created = Instant.ofEpochSecond(container.getCreated());
            return ownerGone(container, labels, live, now) || created.isBefore(now.minus(joblessMaxAge));
        }
        JobRecord record = queue.find(job.get()).block(REDIS_TIMEOUT);
        return record == null
                || record.state() != JobState.RUNNING
                || !labels.getOrDefault(SandboxLabels.WORKER, "").equals(record.attemptedBy());
    }

    /**
     * Whether the worker on the container's label is known to be gone. A container younger than the worker max age
     * is spared: a starting worker creates some before its first heartbeat.
     */
    private boolean ownerGone(Container container, Map<String, String> labels, Optional<Set<String>> live,
            Instant now) {
        Instant created = Instant.ofEpochSecond(container.getCreated());
        return live.isPresent() && !live.get().contains(labels.getOrDefault(SandboxLabels.WORKER, ""))
                && created.isBefore(now.minus(workerMaxAge));
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
