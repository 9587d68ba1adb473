package rrunner.gateway.auth;

/**
 * Whom a request acts for, as stored with what it creates (sessions, so far). {@code RUNNER_TOKEN} is one caller,
 * the tenant {@value #DEFAULT}: its sessions are the only ones there are until tenants with tokens of their own do.
 */
public final class Owners {

    /** The owner every request with {@code RUNNER_TOKEN} acts for. */
    public static final String DEFAULT = "default";

    private Owners() {
    }
}
