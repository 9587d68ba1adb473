package rrunner.gateway.auth;

import java.util.Locale;

/** Reads the token out of an {@code Authorization: Bearer <token>} header (RFC 6750). */
final class BearerToken {

    private static final String SCHEME = "bearer ";

    private BearerToken() {
    }

    /** The token presented, or null when the header is missing, of another scheme, or has an empty token. */
    static String presented(String authorization) {
        if (authorization == null || authorization.length() < SCHEME.length()
                || !authorization.substring(0, SCHEME.length()).toLowerCase(Locale.ROOT).equals(SCHEME)) {
            return null;
        }
        String presented = authorization.substring(SCHEME.length()).strip();
        return presented.isEmpty() ? null : presented;
    }
}
