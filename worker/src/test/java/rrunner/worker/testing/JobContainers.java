package rrunner.worker.testing;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import rrunner.common.job.JobId;
import rrunner.worker.sandbox.SandboxLabels;

/**
 * Jobs' containers as the Docker engine saw them: those running now, and, while recording, when each one started
 * and died (proof, for instance, that two attempts of a job never ran at the same time). Recorded live because the engine keeps only its last few hundred events, which other builds on a
 * shared engine push out. Only containers created for a job carry its label, so tests using this turn the warm
 * pool off.
 */
public final class JobContainers implements AutoCloseable {

    private final Map<String, Life> lives = new ConcurrentHashMap<>();
    private final ResultCallback.Adapter<Event> stream;

    private JobContainers(DockerClient docker) {
        this.stream = docker.eventsCmd()
                .withEventTypeFilter(EventType.CONTAINER)
                .withLabelFilter(SandboxLabels.JOB)
                .exec(new ResultCallback.Adapter<>() {
                    @Override
                    public void onNext(Event event) {
                        seen(event);
                    }
                });
    }

    /** Starts recording; close it to stop. */
    public static JobContainers record(DockerClient docker) {
        return new JobContainers(docker);
    }

    public static List<Container> running(DockerClient docker, JobId job) {
        return docker.listContainersCmd().withLabelFilter(Map.of(SandboxLabels.JOB, job.value())).exec();
    }

    /** One container's life; {@code died} is null while it still runs. */
    public record Life(String containerId, String job, Instant started, Instant died) {
    }

    private void seen(Event event) {
        Instant at = Instant.ofEpochSecond(0, event.getTimeNano());
        String job = event.getActor() == null ? null : event.getActor().getAttributes().get(SandboxLabels.JOB);
        if ("start".equals(event.getAction())) {
            lives.putIfAbsent(event.getId(), new Life(event.getId(), job, at, null));
        } else if ("die".equals(event.getAction())) {
            lives.computeIfPresent(event.getId(), (id, life) -> life.died() != null ? life
                    : new Life(id, life.job(), life.started(), at));
        }
    }

    /** The job's containers started while recording, oldest first. */
    public List<Life> of(JobId job) {
        List<Life> ofJob = new ArrayList<>(lives.values().stream().filter(l -> job.value().equals(l.job())).toList());
        ofJob.sort(Comparator.comparing(Life::started));
        return ofJob;
    }

    @Override
    public void close() {
        try {
            stream.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
