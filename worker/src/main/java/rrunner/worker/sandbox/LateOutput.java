package rrunner.worker.sandbox;

import java.util.ArrayList;
import java.util.List;
import rrunner.common.event.JobEventType;

/**
 * Output of an exec started before its job was known. R prints nothing while it waits for its script, but
 * whatever does arrive early is kept and handed to the job's listener first, in order, once it is bound.
 */
final class LateOutput implements OutputListener {

    private final List<Chunk> early = new ArrayList<>();
    private OutputListener target;

    synchronized void bind(OutputListener listener) {
        early.forEach(chunk -> listener.onOutput(chunk.stream(), chunk.text()));
        early.clear();
        target = listener;
    }

    @Override
    public synchronized void onOutput(JobEventType stream, String chunk) {
        if (target == null) {
            early.add(new Chunk(stream, chunk));
        } else {
            target.onOutput(stream, chunk);
        }
    }

    private record Chunk(JobEventType stream, String text) {
    }
}
