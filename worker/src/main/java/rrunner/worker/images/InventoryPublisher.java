package rrunner.worker.images;

import io.lettuce.core.SetArgs;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import rrunner.common.json.JsonCodec;
import rrunner.common.queue.RedisKeys;
import rrunner.common.system.ImageInventory;

/**
 * Publishes the execution image's package inventory for {@code GET /system}: at startup and whenever the image
 * in use changes (a pull brought a new digest). Listing packages runs a container, so it happens once per image;
 * if Redis loses the published copy (a restart without data, {@code FLUSHALL}) the listing is written back from
 * memory.
 */
public class InventoryPublisher {

    private static final Logger log = LoggerFactory.getLogger(InventoryPublisher.class);
    private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(5);

    private final ImagePuller puller;
    private final PackageInventory inventory;
    private final RedisReactiveCommands<String, String> redis;
    private final RedisKeys keys;
    private final String image;
    private final AtomicReference<Published> published = new AtomicReference<>();

    /** What was last written: the image id it lists, and the JSON, to write back if Redis loses it. */
    private record Published(String imageId, String json) {
    }

    public InventoryPublisher(ImagePuller puller, PackageInventory inventory,
            RedisReactiveCommands<String, String> redis, RedisKeys keys, String image) {
        this.puller = puller;
        this.inventory = inventory;
        this.redis = redis;
        this.keys = keys;
        this.image = image;
    }

    /** Called on a schedule; cheap when nothing changed, as the puller's policy decides whether to pull. */
    public void refresh() {
        try {
            String imageId = puller.ensure(image);
            Published last = published.get();
            if (last != null && imageId.equals(last.imageId())) {
                restoreIfMissing();
                return;
            }
            ImageInventory listed = inventory.of(image, imageId);
            String json = JsonCodec.write(listed);
            redis.set(keys.system(), json).block(REDIS_TIMEOUT);
            published.set(new Published(imageId, json));
            log.info("published the inventory of {} ({}): {} packages, {}", image, imageId,
                    listed.packages().size(), listed.rVersion());
        } catch (RuntimeException e) {
            log.warn("could not publish the inventory of {}: {}", image, e.toString());
        }
    }

    /**
     * Writes the last published inventory back if Redis no longer has one; one command, cheap enough to run with
     * every heartbeat. Never overwrites: an inventory another worker wrote meanwhile stays.
     */
    public void restoreIfMissing() {
        Published last = published.get();
        if (last == null) {
            return;
        }
        try {
            Boolean written = redis.set(keys.system(), last.json(), SetArgs.Builder.nx()).hasElement()
                    .block(REDIS_TIMEOUT);
            if (Boolean.TRUE.equals(written)) {
                log.info("published the inventory of {} ({}) again: Redis had lost it", image, last.imageId());
            }
        } catch (RuntimeException e) {
            log.warn("could not check the inventory of {} in Redis: {}", image, e.toString());
        }
    }
}
