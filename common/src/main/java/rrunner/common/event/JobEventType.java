package rrunner.common.event;

import java.util.Locale;
import rrunner.common.job.WireNamed;

/** The kinds of entries in a job's event stream. */
public enum JobEventType implements WireNamed {
    QUEUED,
    STARTED,
    STDOUT,
    STDERR,
    /** The last event of a job; its data is the terminal state's wire name. */
    FINISHED;

    public static JobEventType fromWireName(String wireName) {
        return valueOf(wireName.toUpperCase(Locale.ROOT));
    }
}
