package rrunner.worker.reaper;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import java.time.Duration;
import java.time.Instant;
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
 * Removes sandbox containers that no live attempt owns: their job ended, was given to another worker, or is
 * gone from Redis. Workers share a Docker host, so a container is kept while its job is running under the lease
 * of the worker named on its label, whichever worker that is.
 */
public class ContainerReaper {

    private static final Logger log = LoggerFactory.getLogger(ContainerReaper.class);
    private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(5);
    /** Containers without a job (inventory runs) live seconds; anything this old was left by a crash. */
    private static final Duration JOBLESS_MAX_AGE = Duration.ofMinutes(10);

    private final DockerClient docker;
    private final JobQueue queue;

    public ContainerReaper(DockerClient docker, JobQueue queue) {
        this.docker = docker;
        this.queue = queue;
    }

    /** Returns how many containers it removed. */
    public int reap() {
        int removed = 0;
        try {
            List<Container> containers = docker.listContainersCmd().withShowAll(true)
                    .withLabelFilter(Map.of(SandboxLabels.MANAGED, "true")).exec();
            for (Container container : containers) {
                if (isOrphan(container.getLabels(), Instant.ofEpochSecond(container.getCreated()))) {
                    remove(container.getId());
                    removed++;
                }
            }
        } catch (RuntimeException e) {
            log.warn("could not look for orphaned containers: {}", e.toString());
        }
        if (removed > 0) {
            log.warn("removed {} orphaned sandbox container(s)", removed);
        }
        return removed;
    }

    private boolean isOrphan(Map<String, String> labels, Instant created) {
        String job = labels.get(SandboxLabels.JOB);
        if (job == null || !JobId.isWellFormed(job)) {
            return created.isBefore(Instant.now().minus(JOBLESS_MAX_AGE));
        }
        JobRecord record = queue.find(new JobId(job)).block(REDIS_TIMEOUT);
        return record == null
                || record.state() != JobState.RUNNING
                || !labels.getOrDefault(SandboxLabels.WORKER, "").equals(record.attemptedBy());
    }

    private void remove(String containerId) {
        try {
            docker.removeContainerCmd(containerId).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException alreadyGone) {
            // why: its own worker removed it between our listing and now
        }
    }
}
