package rrunner.gateway.environments;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import rrunner.common.environment.Environment;
import rrunner.common.environment.EnvironmentReport;
import rrunner.common.environment.EnvironmentStatus;
import rrunner.common.job.Limits;
import rrunner.common.system.ImageInventory;

/**
 * One environment as {@code GET /environments} lists it; {@code GET /environments/{name}} adds its packages.
 *
 * @param image the image its sandboxes are made from, by name
 * @param imageId the image's id as a live worker reports it, else as the last published inventory names it; null
 *     when neither does
 * @param rVersion R's version string, from the same source as {@code imageId}
 * @param status the best of the live workers' reports; {@code unavailable} when none reports the environment
 * @param limits what a request gets when it asks for none, and the most it may ask for
 * @param inventoryStatus details only: {@code reported}, or {@code not_reported} while no worker has published the
 *     environment's packages (then {@code packages} is empty)
 * @param packages details only: the installed R packages, sorted
 * @param versions details only: package name to version
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EnvironmentView(
        @JsonProperty("name") String name,
        @JsonProperty("description") String description,
        @JsonProperty("example") String example,
        @JsonProperty("image") String image,
        @JsonProperty("image_id") @JsonInclude(JsonInclude.Include.ALWAYS) String imageId,
        @JsonProperty("r_version") @JsonInclude(JsonInclude.Include.ALWAYS) String rVersion,
        @JsonProperty("status") EnvironmentStatus status,
        @JsonProperty("limits") LimitRange limits,
        @JsonProperty("inventory_status") String inventoryStatus,
        @JsonProperty("packages") List<String> packages,
        @JsonProperty("versions") Map<String, String> versions) {

    static final String REPORTED = "reported";
    static final String NOT_REPORTED = "not_reported";

    /** The list entry: {@code inventory} (null when none was published) only fills in what no worker reports. */
    static EnvironmentView summary(Environment environment, WorkerReports reports, ImageInventory inventory) {
        EnvironmentReport report = reports.report(environment.name()).orElse(null);
        String imageId = report != null && report.imageId() != null ? report.imageId()
                : inventory != null ? inventory.imageId() : null;
        String rVersion = report != null && report.rVersion() != null ? report.rVersion()
                : inventory != null ? inventory.rVersion() : null;
        return new EnvironmentView(environment.name(), environment.description(), environment.example(),
                environment.image(), imageId, rVersion, reports.status(environment.name()),
                new LimitRange(environment.defaults(), environment.max()), null, null, null);
    }

    /** The entry with its packages, or empty lists and {@code not_reported} when none were published yet. */
    static EnvironmentView details(Environment environment, WorkerReports reports, ImageInventory inventory) {
        EnvironmentView summary = summary(environment, reports, inventory);
        return new EnvironmentView(summary.name, summary.description, summary.example, summary.image,
                summary.imageId, summary.rVersion, summary.status, summary.limits,
                inventory == null ? NOT_REPORTED : REPORTED,
                inventory == null ? List.of() : inventory.packages(),
                inventory == null ? Map.of() : inventory.versions());
    }

    /**
     * @param defaults the limits of a request that asks for none
     * @param max the most a request may ask for
     */
    record LimitRange(@JsonProperty("default") Limits defaults, @JsonProperty("max") Limits max) {
    }
}
