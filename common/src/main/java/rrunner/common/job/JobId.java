package rrunner.common.job;

import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/** A job's identity: a random UUID, so ids can't be guessed or enumerated by other callers. */
public record JobId(String value) {

    private static final Pattern FORMAT =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    public JobId {
        Objects.requireNonNull(value, "value");
        if (!FORMAT.matcher(value).matches()) {
            throw new IllegalArgumentException("not a job id: " + value);
        }
    }

    public static JobId random() {
        return new JobId(UUID.randomUUID().toString());
    }

    /** True when {@code candidate} could be a job id; used to answer 404 without touching Redis. */
    public static boolean isWellFormed(String candidate) {
        return candidate != null && FORMAT.matcher(candidate).matches();
    }

    @Override
    public String toString() {
        return value;
    }
}
