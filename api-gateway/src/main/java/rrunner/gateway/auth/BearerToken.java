package rrunner.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;

/** Checks an {@code Authorization} header against {@code RUNNER_TOKEN}. */
final class BearerToken {

    enum Verdict { ACCEPTED, MISSING, REJECTED }

    private static final String SCHEME = "bearer ";

    private final byte[] expected;

    BearerToken(String expected) {
        this.expected = expected.getBytes(StandardCharsets.UTF_8);
    }

    Verdict check(String authorization) {
        if (authorization == null || authorization.length() < SCHEME.length()
                || !authorization.substring(0, SCHEME.length()).toLowerCase(Locale.ROOT).equals(SCHEME)) {
            return Verdict.MISSING;
        }
        String presented = authorization.substring(SCHEME.length()).strip();
        if (presented.isEmpty()) {
            return Verdict.MISSING;
        }
        // why isEqual with the expected token first: its time depends only on the expected length, so a caller
        // can't find the token byte by byte from response times
        return MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8))
                ? Verdict.ACCEPTED
                : Verdict.REJECTED;
    }
}
