package rrunner.common.queue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A client's {@code Idempotency-Key}, already checked by whoever read it: the same key with the same request names
 * one job, within its tenant, for as long as the job is kept.
 */
public record IdempotencyKey(String value) {

    public IdempotencyKey {
        Objects.requireNonNull(value, "value");
    }

    /** The key as it goes into a Redis key: fixed length and hex, whatever characters the client chose. */
    String digest() {
        return sha256(value);
    }

    /**
     * What tells two requests apart: the SHA-256 of the job's canonical JSON, so it is the parsed and resolved request
     * that counts (limits as applied, the tenant), not its whitespace or property order.
     */
    static String fingerprint(String specJson) {
        return sha256(specJson);
    }

    /**
     * As {@link #fingerprint(String)}, also telling apart requests that differ in their webhook only; a request
     * without one has the fingerprint it had before webhooks existed.
     */
    static String fingerprint(String specJson, String webhookUrl) {
        return webhookUrl == null ? fingerprint(specJson) : sha256(specJson + "\nwebhook " + webhookUrl);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
