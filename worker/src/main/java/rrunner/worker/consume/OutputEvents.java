package rrunner.worker.consume;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import rrunner.common.event.JobEvent;
import rrunner.common.event.JobEventType;
import rrunner.common.queue.ClaimedJob;
import rrunner.common.queue.JobQueue;
import rrunner.common.queue.LeaseLostException;
import rrunner.worker.sandbox.OutputListener;

/**
 * Streams one job's output into its event stream while the script runs. Chunks are batched for a few
 * milliseconds so a chatty script costs a handful of Redis writes, not one per line; appends stay in order.
 */
final class OutputEvents implements OutputListener {

    private static final Logger log = LoggerFactory.getLogger(OutputEvents.class);
    private static final Duration BATCH_WINDOW = Duration.ofMillis(20);
    private static final int BATCH_SIZE = 64;

    private final Sinks.Many<JobEvent> sink = Sinks.many().unicast().onBackpressureBuffer();
    private final Mono<Void> written;

    /** Appends under {@code job}'s lease, so once another attempt owns the job this one's output is refused. */
    OutputEvents(JobQueue queue, ClaimedJob job) {
        this.written = sink.asFlux()
                .bufferTimeout(BATCH_SIZE, BATCH_WINDOW)
                .map(OutputEvents::mergeAdjacent)
                .concatMap(batch -> queue.appendEvents(job, batch)
                        .onErrorResume(LeaseLostException.class, e -> Mono.empty())
                        .onErrorResume(e -> {
                            // why: output events are a live view; the result keeps the whole output anyway
                            log.warn("could not store output events of job {}: {}", job.id(), e.toString());
                            return Mono.empty();
                        }))
                .then()
                .cache();
        written.subscribe();
    }

    /** Called on the Docker stream's single callback thread, so emissions never race each other. */
    @Override
    public void onOutput(JobEventType stream, String chunk) {
        sink.tryEmitNext(JobEvent.of(stream, chunk));
    }

    /** Ends the stream and waits until every chunk is stored, so {@code finished} is always the last event. */
    void close(Duration timeout) {
        sink.tryEmitComplete();
        written.block(timeout);
    }

    private static List<JobEvent> mergeAdjacent(List<JobEvent> batch) {
        List<JobEvent> merged = new ArrayList<>();
        for (JobEvent event : batch) {
            int last = merged.size() - 1;
            if (last >= 0 && merged.get(last).type() == event.type()) {
                merged.set(last, JobEvent.of(event.type(), merged.get(last).data() + event.data()));
            } else {
                merged.add(event);
            }
        }
        return merged;
    }
}
