package rrunner.common.event;

import java.util.Locale;

/** The kinds of entries in a job's event stream. */
public enum JobEventType {
    QUEUED,
    STARTED,
    STDOUT,
    STDERR,
    /** The last event of a job; its data is the terminal state's wire name. */
    FINISHED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static JobEventType fromWireName(String wireName) {
        return valueOf(wireName.toUpperCase(Locale.ROOT));
    }
}
