package rrunner.common.environment;

import com.fasterxml.jackson.annotation.JsonValue;
import rrunner.common.job.WireNamed;

/** Whether a worker can run an environment's jobs now, as it reports it with every heartbeat. */
public enum EnvironmentStatus implements WireNamed {

    /** Its image is present: jobs start at once. */
    READY,
    /** Its image is being pulled: jobs wait for the pull. */
    PULLING,
    /** Its image is neither present nor pullable: jobs would fail and be retried elsewhere. */
    UNAVAILABLE;

    /** why here: JSON (heartbeats, {@code GET /environments}) spells it as Redis and the API do. */
    @JsonValue
    @Override
    public String wireName() {
        return WireNamed.super.wireName();
    }

    /** Of several workers' reports, the most useful: one ready worker is enough to run the environment's jobs. */
    public static EnvironmentStatus best(EnvironmentStatus a, EnvironmentStatus b) {
        return a.ordinal() <= b.ordinal() ? a : b;
    }
}
