package rrunner.common.environment;

import rrunner.common.job.Limits;

/**
 * An enabled environment with every limit resolved.
 *
 * @param name what requests call it, such as {@code r-full}
 * @param image the image its sandboxes are made from, by name
 * @param description what it is for
 * @param example a short script that shows what it offers
 * @param defaults the limits of a request that asks for none
 * @param max the most a request may ask for
 */
public record Environment(String name, String image, String description, String example, Limits defaults,
        Limits max) {
}
