package rrunner.e2e;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
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
import org.testcontainers.DockerClientFactory;
import rrunner.common.job.JobId;
import rrunner.worker.sandbox.SandboxLabels;

/**
 * When each job container started and died while recording, as the Docker engine saw it: proof that two attempts
 * of a job never ran at the same time. Recorded live because the engine keeps only its last few hundred events,
 * which other builds on a shared engine push out. Only containers created for a job carry its label, so tests
 * using this turn the warm pool off.
 */
final class ContainerHistory implements AutoCloseable {

    private final Map<String, Life> lives = new ConcurrentHashMap<>();
    private final ResultCallback.Adapter<Event> stream;

    private ContainerHistory(DockerClient docker) {
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
    static ContainerHistory record() {
        return new ContainerHistory(DockerClientFactory.instance().client());
    }

    /** One container's life; {@code died} is null while it still runs. */
    record Life(String containerId, String job, Instant started, Instant died) {
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
    List<Life> of(JobId job) {
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
