package rrunner.gateway.tenants;

/** How a token shows in logs: never whole, only enough to tell which of a caller's tokens it was. */
public final class TokenDisplay {

    /** Below this, the first four and last four characters would give away too much of the token. */
    private static final int SHOWN_FROM = 16;
    private static final String HIDDEN = "****";

    private TokenDisplay() {
    }

    /** The first four and the last four characters ({@code abcd…wxyz}); nothing of a token under 16 characters. */
    public static String masked(String token) {
        if (token.length() < SHOWN_FROM) {
            return HIDDEN;
        }
        return token.substring(0, 4) + "…" + token.substring(token.length() - 4);
    }
}
