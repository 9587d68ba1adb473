package rrunner.common.job;

import java.util.Locale;
import java.util.Map;

/**
 * An enum whose constants travel by their lower-case names: in Redis, in the queue's Lua scripts and in the API's
 * JSON ({@code timed_out}, not {@code TIMED_OUT}). One rule, so Java and the scripts can't spell a name two ways.
 */
public interface WireNamed {

    /** Implemented by every enum constant. */
    String name();

    default String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The value a Redis hash or stream entry, read as a map, holds under this name; null when absent. */
    default String in(Map<String, String> fields) {
        return fields.get(wireName());
    }
}
