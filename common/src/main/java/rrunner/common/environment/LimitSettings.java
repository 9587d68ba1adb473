package rrunner.common.environment;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import org.springframework.util.unit.DataSize;

/**
 * Limits as configuration writes them: the server's defaults and maxima give every value, an environment's own
 * may leave any out (null) to take the server's.
 *
 * @param timeoutSeconds wall-clock budget of a script
 * @param memory the sandbox's memory limit (swap is the same, so none)
 * @param cpus CPU quota in cores
 */
public record LimitSettings(
        @Min(1) Integer timeoutSeconds,
        DataSize memory,
        @DecimalMin("0.01") Double cpus) {

    /** These values, each missing one taken from {@code fallback}. */
    LimitSettings over(LimitSettings fallback) {
        return new LimitSettings(
                timeoutSeconds != null ? timeoutSeconds : fallback.timeoutSeconds,
                memory != null ? memory : fallback.memory,
                cpus != null ? cpus : fallback.cpus);
    }

    boolean complete() {
        return timeoutSeconds != null && memory != null && cpus != null;
    }
}
