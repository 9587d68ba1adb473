package rrunner.worker.config;

/** This worker's id, resolved once at startup so leases, labels and logs all name the same worker. */
public record WorkerIdentity(String id) {
}
