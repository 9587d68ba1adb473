package rrunner.gateway.tenants;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads the YAML of {@code RUNNER_TOKENS_FILE}: a list {@code tenants}, each with its {@code id}, the SHA-256 hashes
 * of its tokens ({@code token_sha256}), a {@code weight}, its limits and its {@code webhook_secrets}. Strict: an unknown key, a bad value or an id
 * or hash given twice fails, since a misspelt limit would otherwise quietly be no limit.
 */
final class TokensFile {

    /** why so narrow: the id names Redis keys and metric tags, and shows in logs. */
    static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");
    private static final String TOKEN_SHA256 = "token_sha256";
    private static final Set<String> KEYS = Set.of("id", TOKEN_SHA256, "weight", "max_running", "max_queued",
            "requests_per_minute", "max_timeout_seconds", "max_memory_mb", "max_cpus", "environments",
            "webhook_secrets");
    /** why two: one to sign with and the one being rotated out; receivers verify either during the change. */
    static final int MAX_WEBHOOK_SECRETS = 2;

    private TokensFile() {
    }

    /**
     * One tenant of the file.
     *
     * @param tenant the tenant
     * @param tokenHashes the SHA-256 hashes of its tokens, 32 bytes each
     */
    record Entry(Tenant tenant, List<byte[]> tokenHashes) {
    }

    /** The tenants {@code yaml} defines, in its order; fails with {@link InvalidTokensFileException}. */
    static List<Entry> parse(String yaml) {
        Object root;
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        } catch (YAMLException e) {
            throw new InvalidTokensFileException("not YAML: " + e.getMessage(), e);
        }
        if (!(root instanceof Map<?, ?> top) || !(top.get("tenants") instanceof List<?> tenants)
                || top.size() != 1) {
            throw new InvalidTokensFileException("the file must hold one key, \"tenants\", a list of tenants");
        }
        List<Entry> entries = new ArrayList<>();
        Map<String, String> hashOwners = new LinkedHashMap<>();
        for (int i = 0; i < tenants.size(); i++) {
            Entry entry = entry(tenants.get(i), "tenants[" + i + "]");
            String id = entry.tenant().id();
            if (entries.stream().anyMatch(other -> other.tenant().id().equals(id))) {
                throw new InvalidTokensFileException("tenants[" + i + "]: the id \"" + id + "\" is given twice");
            }
            for (byte[] hash : entry.tokenHashes()) {
                String previous = hashOwners.putIfAbsent(HexFormat.of().formatHex(hash), id);
                if (previous != null) {
                    throw new InvalidTokensFileException("tenants[" + i + "] (" + id + "): a token hash of tenant "
                            + previous + " is given again; a token belongs to one tenant");
                }
            }
            entries.add(entry);
        }
        return entries;
    }

    private static Entry entry(Object item, String where) {
        if (!(item instanceof Map<?, ?> fields)) {
            throw new InvalidTokensFileException(where + " must be a map with id, token_sha256 and limits");
        }
        for (Object key : fields.keySet()) {
            if (!KEYS.contains(String.valueOf(key))) {
                throw new InvalidTokensFileException(where + ": unknown key \"" + key + "\"; the keys are "
                        + String.join(", ", KEYS.stream().sorted().toList()));
            }
        }
        if (!(fields.get("id") instanceof String id) || !ID.matcher(id).matches()) {
            throw new InvalidTokensFileException(where + ": id must be lower-case letters, digits, - and _ "
                    + "(at most 63, starting with a letter or digit), got " + fields.get("id"));
        }
        String at = where + " (" + id + ")";
        TenantLimits limits = new TenantLimits(
                count(fields, "max_running", at), count(fields, "max_queued", at),
                count(fields, "requests_per_minute", at),
                fields.containsKey("max_timeout_seconds") ? positive(fields, "max_timeout_seconds", at).intValue()
                        : null,
                fields.containsKey("max_memory_mb") ? positive(fields, "max_memory_mb", at).longValue() : null,
                fields.containsKey("max_cpus") ? cpus(fields.get("max_cpus"), at) : null,
                environments(fields.get("environments"), at));
        int weight = fields.containsKey("weight") ? positive(fields, "weight", at).intValue() : 1;
        return new Entry(new Tenant(id, weight, limits, webhookSecrets(fields.get("webhook_secrets"), at)),
                hashes(fields.get(TOKEN_SHA256), at));
    }

    private static List<byte[]> hashes(Object value, String at) {
        if (!(value instanceof List<?> list) || list.isEmpty()) {
            throw new InvalidTokensFileException(at + ": token_sha256 must list the SHA-256 (hex) of each token, "
                    + "as printf %s \"$TOKEN\" | sha256sum prints it");
        }
        List<byte[]> hashes = new ArrayList<>();
        for (Object hash : list) {
            if (!(hash instanceof String hex) || !SHA256_HEX.matcher(hex).matches()) {
                throw new InvalidTokensFileException(at + ": token_sha256 holds something that is no SHA-256 in "
                        + "hex (64 characters 0-9a-f); the file lists hashes, never the tokens themselves");
            }
            hashes.add(HexFormat.of().parseHex(hex.toLowerCase(Locale.ROOT)));
        }
        return hashes;
    }

    private static List<WebhookSecret> webhookSecrets(Object value, String at) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list) || list.size() > MAX_WEBHOOK_SECRETS
                || !list.stream().allMatch(String.class::isInstance)) {
            throw new InvalidTokensFileException(at + ": webhook_secrets must list at most " + MAX_WEBHOOK_SECRETS
                    + " secrets (whsec_...)");
        }
        return webhookSecrets(list.stream().map(String.class::cast).toList(), at + ": webhook_secrets");
    }

    /** {@code texts} as secrets; fails with {@link InvalidTokensFileException} naming {@code where}, never a secret. */
    static List<WebhookSecret> webhookSecrets(List<String> texts, String where) {
        try {
            return texts.stream().map(WebhookSecret::parse).toList();
        } catch (IllegalArgumentException e) {
            throw new InvalidTokensFileException(where + ": " + e.getMessage());
        }
    }

    private static List<String> environments(Object value, String at) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof List<?> list) || !list.stream().allMatch(String.class::isInstance)) {
            throw new InvalidTokensFileException(at + ": environments must be a list of environment names");
        }
        return list.stream().map(String.class::cast).toList();
    }

    /** A count where 0 (or leaving it out) is no cap. */
    private static int count(Map<?, ?> fields, String key, String at) {
        Object value = fields.get(key);
        if (value == null) {
            return 0;
        }
        if (!(value instanceof Integer number) || number < 0) {
            throw new InvalidTokensFileException(at + ": " + key + " must be a whole number, 0 (no cap) or more, "
                    + "got " + value);
        }
        return number;
    }

    private static Long positive(Map<?, ?> fields, String key, String at) {
        Object value = fields.get(key);
        if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < 1) {
            throw new InvalidTokensFileException(at + ": " + key + " must be a whole number, 1 or more, got "
                    + value);
        }
        return ((Number) value).longValue();
    }

    private static BigDecimal cpus(Object value, String at) {
        if (!(value instanceof Number number) || new BigDecimal(number.toString()).signum() <= 0) {
            throw new InvalidTokensFileException(at + ": max_cpus must be a number above 0, got " + value);
        }
        return new BigDecimal(number.toString());
    }
}
