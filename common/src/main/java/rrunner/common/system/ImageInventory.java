package rrunner.common.system;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * The installed R packages of the execution image, as {@code GET /system} returns them; the reference contract
 * only has {@code packages}, the rest are additions callers may use.
 *
 * @param packages package names, sorted
 * @param versions package name to version
 */
public record ImageInventory(
        @JsonProperty("packages") List<String> packages,
        @JsonProperty("r_version") String rVersion,
        @JsonProperty("image") String image,
        @JsonProperty("image_id") String imageId,
        @JsonProperty("versions") Map<String, String> versions) {

    public ImageInventory {
        packages = List.copyOf(packages);
        versions = Map.copyOf(versions);
    }
}
