package rrunner.gateway.tenants;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import rrunner.common.job.JobSpec;

/**
 * The tenants one version of the tokens file defines, plus {@code RUNNER_TOKEN}'s tenant {@code default} (with the
 * file's limits for {@code default} if it names it, else none), and which token hash is whose. Immutable: a reload
 * builds a new one.
 */
final class TenantDirectory {

    private record Credential(byte[] hash, Tenant tenant) {
    }

    private final List<Credential> credentials;
    private final List<Tenant> tenants;

    private TenantDirectory(List<Credential> credentials, List<Tenant> tenants) {
        this.credentials = List.copyOf(credentials);
        this.tenants = List.copyOf(tenants);
    }

    /** The directory of {@code entries} and {@code runnerToken} (null or blank for none). */
    static TenantDirectory of(List<TokensFile.Entry> entries, String runnerToken) {
        return of(entries, runnerToken, List.of());
    }

    /**
     * As {@link #of(List, String)}; the tenant {@code default} signs webhooks with {@code defaultWebhookSecrets}
     * ({@code WEBHOOK_SECRETS}) unless the file gives it secrets of its own.
     */
    static TenantDirectory of(List<TokensFile.Entry> entries, String runnerToken,
            List<WebhookSecret> defaultWebhookSecrets) {
        List<Credential> credentials = new ArrayList<>();
        List<Tenant> tenants = new ArrayList<>();
        for (TokensFile.Entry entry : entries) {
            Tenant tenant = entry.tenant().id().equals(JobSpec.DEFAULT_TENANT)
                    && entry.tenant().webhookSecrets().isEmpty()
                    ? entry.tenant().withWebhookSecrets(defaultWebhookSecrets) : entry.tenant();
            tenants.add(tenant);
            entry.tokenHashes().forEach(hash -> credentials.add(new Credential(hash, tenant)));
        }
        if (runnerToken != null && !runnerToken.isBlank()) {
            Tenant fallback = new Tenant(JobSpec.DEFAULT_TENANT, 1, TenantLimits.NONE, defaultWebhookSecrets);
            Tenant byDefault = tenants.stream().filter(t -> t.id().equals(JobSpec.DEFAULT_TENANT)).findFirst()
                    .orElseGet(() -> {
                        tenants.add(fallback);
                        return fallback;
                    });
            credentials.add(new Credential(sha256(runnerToken), byDefault));
        }
        return new TenantDirectory(credentials, tenants);
    }

    /**
     * The tenant {@code token} belongs to. Every stored hash is compared, each in constant time, and the loop never
     * stops early, so the answer's timing tells a caller nothing about which hash came close or how many there are
     * before a match.
     */
    Optional<Tenant> authenticate(String token) {
        byte[] presented = sha256(token);
        Tenant found = null;
        for (Credential credential : credentials) {
            if (MessageDigest.isEqual(credential.hash(), presented) && found == null) {
                found = credential.tenant();
            }
        }
        return Optional.ofNullable(found);
    }

    List<Tenant> tenants() {
        return tenants;
    }

    Optional<Tenant> find(String id) {
        return tenants.stream().filter(tenant -> tenant.id().equals(id)).findFirst();
    }

    static byte[] sha256(String token) {
        return sha256(token.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
