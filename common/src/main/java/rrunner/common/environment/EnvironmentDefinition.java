package rrunner.common.environment;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;

/**
 * One environment as an operator configures it.
 *
 * @param image the image its sandboxes are made from, by name; requests never name an image
 * @param description what it is for, shown by {@code GET /environments}
 * @param example a short script that shows what it offers
 * @param defaults limits a request gets when it names none; each value left out is the server's default
 * @param max the most a request may ask for; each value left out is the server's maximum
 */
public record EnvironmentDefinition(
        @NotBlank String image,
        String description,
        String example,
        @Valid LimitSettings defaults,
        @Valid LimitSettings max) {
}
