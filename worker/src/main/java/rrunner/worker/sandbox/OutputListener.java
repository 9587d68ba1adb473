package rrunner.worker.sandbox;

import rrunner.common.event.JobEventType;

/**
 * Receives a script's output while it runs. Called on docker-java's stream thread, one chunk at a time in order;
 * an implementation must not block, or it holds up reading the container's output.
 */
@FunctionalInterface
public interface OutputListener {

    OutputListener IGNORE = (stream, chunk) -> { };

    /**
     * @param stream {@link JobEventType#STDOUT} or {@link JobEventType#STDERR}
     * @param chunk decoded text; only output within the cap is forwarded
     */
    void onOutput(JobEventType stream, String chunk);
}
