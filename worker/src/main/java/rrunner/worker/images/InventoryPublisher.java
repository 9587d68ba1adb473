package rrunner.worker.images;

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
 * in use changes (a pull brought a new digest). Listing packages runs a container, so it happens once per image.
 */
public class InventoryPublisher {

    private static final Logger log = LoggerFactory.getLogger(InventoryPublisher.class);
    private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(5);

    private final ImagePuller puller;
    private final PackageInventory inventory;
    private final RedisReactiveCommands<String, String> redis;
    private final RedisKeys keys;
    private final String image;
    private final AtomicReference<String> publishedImageId = new AtomicReference<>();

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
            if (imageId.equals(publishedImageId.get())) {
                return;
            }
            ImageInventory listed = inventory.of(image, imageId);
            redis.set(keys.system(), JsonCodec.write(listed)).block(REDIS_TIMEOUT);
            publishedImageId.set(imageId);
            log.info("published the inventory of {} ({}): {} packages, {}", image, imageId,
                    listed.packages().size(), listed.rVersion());
        } catch (RuntimeException e) {
            log.warn("could not publish the inventory of {}: {}", image, e.toString());
        }
    }
}
