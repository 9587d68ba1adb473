package rrunner.gateway.tenants;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * A tenant's webhook signing secret as the Standard Webhooks spec writes it, {@code whsec_} and the base64 of the
 * key; the HMAC is keyed with the decoded bytes. Never printed: {@link #toString()} masks it.
 */
public record WebhookSecret(byte[] key) {

    private static final String PREFIX = "whsec_";
    private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/]+={0,2}");
    /** why 24 to 64 bytes: the spec asks for 24 or more random bytes; HMAC-SHA256 hashes longer keys down anyway. */
    private static final int MIN_BYTES = 24;
    private static final int MAX_BYTES = 64;

    public WebhookSecret {
        key = key.clone();
    }

    /** The secret {@code text} spells; fails with {@link IllegalArgumentException} saying what is wrong, not the text. */
    public static WebhookSecret parse(String text) {
        String encoded = text.strip();
        if (!encoded.startsWith(PREFIX) || !BASE64.matcher(encoded.substring(PREFIX.length())).matches()) {
            throw new IllegalArgumentException("a webhook secret must be whsec_ followed by base64 (standard "
                    + "alphabet), such as whsec_$(head -c 32 /dev/urandom | base64)");
        }
        byte[] key = Base64.getDecoder().decode(encoded.substring(PREFIX.length()));
        if (key.length < MIN_BYTES || key.length > MAX_BYTES) {
            throw new IllegalArgumentException("a webhook secret must decode to " + MIN_BYTES + " to " + MAX_BYTES
                    + " bytes, got " + key.length);
        }
        return new WebhookSecret(key);
    }

    @Override
    public byte[] key() {
        return key.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof WebhookSecret secret && MessageDigest.isEqual(key, secret.key);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(key);
    }

    @Override
    public String toString() {
        return PREFIX + "****";
    }
}
