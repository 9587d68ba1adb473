package rrunner.worker.images;

import java.time.Duration;
import java.time.Instant;

/** When the worker pulls the execution image before a run ({@code RUNNER_PULL_POLICY}). */
public enum PullPolicy {
    /** Before every run, as the reference runner did; a failed pull falls back to the local copy. */
    ALWAYS,
    /** Only when no local copy exists; for pinned images and registry-less hosts. */
    IF_MISSING,
    /** At most once per pull interval (the first run after start pulls), and whenever no local copy exists. */
    INTERVAL;

    /**
     * @param lastAttempt when the last pull of this image was tried, successful or not; null if never
     */
    public boolean shouldPull(boolean presentLocally, Instant lastAttempt, Instant now, Duration interval) {
        return switch (this) {
            case ALWAYS -> true;
            case IF_MISSING -> !presentLocally;
            case INTERVAL -> !presentLocally || lastAttempt == null || !now.isBefore(lastAttempt.plus(interval));
        };
    }
}
