package rrunner.gateway.tenants;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import rrunner.gateway.config.GatewayProperties;

/**
 * The tenants in force. The tokens file is read at startup (a bad one stops it) and then every
 * {@code RUNNER_TOKENS_RELOAD_INTERVAL}: a changed content is parsed and replaces the tenants whole, a bad one is
 * logged once and the last good tenants stay. why polling the content, not a WatchService: a Kubernetes Secret
 * volume swaps a symlink, which inotify on the file never sees, and mtimes can be too coarse to show a quick second
 * edit; hashing a small file every few seconds sees every change.
 */
@Component
public class Tenants implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(Tenants.class);

    private final GatewayProperties properties;
    private final Path file;
    private final List<WebhookSecret> defaultWebhookSecrets;
    private final AtomicReference<TenantDirectory> directory = new AtomicReference<>();
    /** The SHA-256 of the file's content last read, good or bad, so an unchanged file is not parsed again. */
    private volatile byte[] lastRead;
    private volatile Disposable polling;

    Tenants(GatewayProperties properties) {
        this.properties = properties;
        this.file = properties.tokensFile().isBlank() ? null : Path.of(properties.tokensFile());
        this.defaultWebhookSecrets = TokensFile.webhookSecrets(properties.webhookSecrets(), "WEBHOOK_SECRETS");
        if (defaultWebhookSecrets.size() > TokensFile.MAX_WEBHOOK_SECRETS) {
            throw new InvalidTokensFileException("WEBHOOK_SECRETS: at most " + TokensFile.MAX_WEBHOOK_SECRETS
                    + " secrets, comma-separated");
        }
        if (file == null) {
            directory.set(TenantDirectory.of(List.of(), properties.token(), defaultWebhookSecrets));
        } else {
            byte[] content = read();
            directory.set(parse(content));
            lastRead = TenantDirectory.sha256(content);
            LOG.info("RUNNER_TOKENS_FILE {}: {}", file, describe(directory.get()));
        }
    }

    /** The tenant {@code token} belongs to, in the tenants in force now. */
    public Optional<Tenant> authenticate(String token) {
        Optional<Tenant> tenant = directory.get().authenticate(token);
        if (tenant.isEmpty()) {
            LOG.debug("rejected bearer token {}", TokenDisplay.masked(token));
        }
        return tenant;
    }

    /** The ids of the tenants in force now, {@code default} among them when {@code RUNNER_TOKEN} is set. */
    public List<String> ids() {
        return directory.get().tenants().stream().map(Tenant::id).toList();
    }

    /** The tenant {@code id} in the tenants in force now: a reload that rotated its webhook secrets shows at once. */
    public Optional<Tenant> find(String id) {
        return directory.get().find(id);
    }

    private void reloadIfChanged() {
        try {
            byte[] content = read();
            byte[] hash = TenantDirectory.sha256(content);
            if (lastRead != null && MessageDigest.isEqual(hash, lastRead)) {
                return;
            }
            lastRead = hash;
            directory.set(parse(content));
            LOG.info("RUNNER_TOKENS_FILE {} changed: {}", file, describe(directory.get()));
        } catch (InvalidTokensFileException e) {
            LOG.error("{}; keeping the tenants of its last good version", e.getMessage());
        }
    }

    private byte[] read() {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new InvalidTokensFileException("RUNNER_TOKENS_FILE " + file + " can't be read: " + e, e);
        }
    }

    private TenantDirectory parse(byte[] content) {
        try {
            return TenantDirectory.of(TokensFile.parse(new String(content, StandardCharsets.UTF_8)),
                    properties.token(), defaultWebhookSecrets);
        } catch (InvalidTokensFileException e) {
            throw new InvalidTokensFileException("RUNNER_TOKENS_FILE " + file + ": " + e.getMessage(), e);
        }
    }

    private static String describe(TenantDirectory directory) {
        return directory.tenants().size() + " tenant(s): "
                + String.join(", ", directory.tenants().stream().map(Tenant::id).toList());
    }

    /** Reads on a bounded-elastic thread: a file read blocks, which an event loop must never do. */
    @Override
    public void start() {
        if (file != null) {
            polling = Flux.interval(properties.tokensReloadInterval(), Schedulers.boundedElastic())
                    .onBackpressureDrop()
                    .concatMap(tick -> Mono.fromRunnable(this::reloadIfChanged), 1)
                    .subscribe();
        }
    }

    @Override
    public void stop() {
        Disposable running = polling;
        if (running != null) {
            running.dispose();
        }
        polling = null;
    }

    @Override
    public boolean isRunning() {
        return polling != null;
    }
}
