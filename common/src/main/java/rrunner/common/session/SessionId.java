package rrunner.common.session;

import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/** A session's identity: a random UUID, so a session cannot be guessed or enumerated by other callers. */
public record SessionId(String value) {

    private static final Pattern FORMAT =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    public SessionId {
        Objects.requireNonNull(value, "value");
        if (!FORMAT.matcher(value).matches()) {
            throw new IllegalArgumentException("not a session id: " + value);
        }
    }

    public static SessionId random() {
        return new SessionId(UUID.randomUUID().toString());
    }

    /** True when {@code candidate} could be a session id; used to answer 404 without touching Redis. */
    public static boolean isWellFormed(String candidate) {
        return candidate != null && FORMAT.matcher(candidate).matches();
    }

    @Override
    public String toString() {
        return value;
    }
}
