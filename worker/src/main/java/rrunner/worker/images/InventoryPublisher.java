package rrunner.worker.images;

import io.lettuce.core.SetArgs;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import rrunner.common.environment.Environment;
import rrunner.common.environment.Environments;
import rrunner.common.json.JsonCodec;
import rrunner.common.queue.RedisKeys;
import rrunner.common.system.ImageInventory;
import rrunner.worker.sandbox.SandboxUnavailableException;

/**
 * Keeps each served environment's image present and publishes its package inventory: at {@code RedisKeys.inventory}
 * for {@code GET /environments/{name}}, and the default environment's also at {@code RedisKeys.system} for
 * {@code GET /system}. Runs at startup and on a schedule, and republishes whenever an image in use changes (a pull
 * brought a new digest). Listing packages runs a container, so it happens once per image; if Redis loses a
 * published copy (a restart without data, {@code FLUSHALL}) it is written back from memory. Each round also
 * updates the {@link EnvironmentReports} the heartbeat carries.
 */
public class InventoryPublisher {

    private static final Logger log = LoggerFactory.getLogger(InventoryPublisher.class);
    private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(5);

    private final ImagePuller puller;
    private final PackageInventory inventory;
    private final RedisReactiveCommands<String, String> redis;
    private final RedisKeys keys;
    private final Environments environments;
    private final EnvironmentReports reports;
    private final Map<String, Published> published = new ConcurrentHashMap<>();

    /** What was last written for one environment: the image it lists, and the JSON, to write back if lost. */
    private record Published(String imageId, String rVersion, String json) {
    }

    public InventoryPublisher(ImagePuller puller, PackageInventory inventory,
            RedisReactiveCommands<String, String> redis, RedisKeys keys, Environments environments,
            EnvironmentReports reports) {
        this.puller = puller;
        this.inventory = inventory;
        this.redis = redis;
        this.keys = keys;
        this.environments = environments;
        this.reports = reports;
    }

    /**
     * Called on a schedule; cheap when nothing changed, as the puller's policy decides whether to pull. The default
     * environment goes first, so {@code GET /system} is back soonest.
     */
    public void refresh() {
        environments.all().forEach(this::refresh);
    }

    private void refresh(Environment environment) {
        String image = environment.image();
        String imageId;
        try {
            Optional<String> local = puller.localId(image);
            if (local.isEmpty()) {
                reports.pulling(environment);
            }
            imageId = puller.ensure(image);
        } catch (SandboxUnavailableException e) {
            reports.unavailable(environment);
            log.warn("environment {} is unavailable: {}", environment.name(), e.getMessage());
            return;
        }
        Published last = published.get(environment.name());
        if (last != null && imageId.equals(last.imageId())) {
            reports.ready(environment, imageId, last.rVersion());
            restoreIfMissing(environment, last);
            return;
        }
        reports.ready(environment, imageId, null);
        try {
            ImageInventory listed = inventory.of(environment, imageId);
            reports.ready(environment, imageId, listed.rVersion());
            String json = JsonCodec.write(listed);
            for (String key : keysOf(environment)) {
                redis.set(key, json).block(REDIS_TIMEOUT);
            }
            published.put(environment.name(), new Published(imageId, listed.rVersion(), json));
            log.info("published the inventory of {} ({}, {}): {} packages, {}", environment.name(), image, imageId,
                    listed.packages().size(), listed.rVersion());
        } catch (RuntimeException e) {
            log.warn("could not publish the inventory of {} ({}): {}", environment.name(), image, e.toString());
        }
    }

    /**
     * Writes each last published inventory back if Redis no longer has it; a command per key, cheap enough to run
     * with every heartbeat. Never overwrites: an inventory another worker wrote meanwhile stays.
     */
    public void restoreIfMissing() {
        environments.all().forEach(environment -> {
            Published last = published.get(environment.name());
            if (last != null) {
                restoreIfMissing(environment, last);
            }
        });
    }

    private void restoreIfMissing(Environment environment, Published last) {
        for (String key : keysOf(environment)) {
            try {
                Boolean written = redis.set(key, last.json(), SetArgs.Builder.nx()).hasElement()
                        .block(REDIS_TIMEOUT);
                if (Boolean.TRUE.equals(written)) {
                    log.info("published the inventory of {} ({}) at {} again: Redis had lost it",
                            environment.name(), last.imageId(), key);
                }
            } catch (RuntimeException e) {
                log.warn("could not check the inventory of {} in Redis: {}", environment.name(), e.toString());
            }
        }
    }

    private List<String> keysOf(Environment environment) {
        return environment.equals(environments.defaultEnvironment())
                ? List.of(keys.inventory(environment.name()), keys.system())
                : List.of(keys.inventory(environment.name()));
    }
}
