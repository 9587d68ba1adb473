package rrunner.gateway.jobs;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code Last-Event-ID} a client resumes after: a Redis stream entry id, {@code <ms>-<seq>}, whose parts Redis
 * keeps as unsigned 64-bit numbers. Checked here so that no id Redis would refuse ever reaches it: Redis answers
 * those with an error, which would end a stream that already answered 200.
 */
final class LastEventId {

    static final String HEADER = "Last-Event-ID";

    /** At most 20 digits each, the length of 2^64 - 1; longer ones can't fit, and parsing them would be waste. */
    private static final Pattern ENTRY_ID = Pattern.compile("(\\d{1,20})-(\\d{1,20})");
    /** 2^64 - 1 as Java holds it unsigned. */
    private static final long UNSIGNED_MAX = -1L;

    private LastEventId() {
    }

    /** {@code value} unchanged (null when absent); fails with 400 when it can be no event's id. */
    static String checked(String value) {
        if (value == null) {
            return null;
        }
        Matcher parts = ENTRY_ID.matcher(value);
        if (!parts.matches()) {
            throw InvalidJobRequestException.invalidLastEventId();
        }
        try {
            long millis = Long.parseUnsignedLong(parts.group(1));
            long sequence = Long.parseUnsignedLong(parts.group(2));
            // why: the greatest id has nothing after it, and Redis refuses it as an exclusive start
            if (millis == UNSIGNED_MAX && sequence == UNSIGNED_MAX) {
                throw InvalidJobRequestException.invalidLastEventId();
            }
        } catch (NumberFormatException over64Bits) {
            throw InvalidJobRequestException.invalidLastEventId();
        }
        return value;
    }
}
