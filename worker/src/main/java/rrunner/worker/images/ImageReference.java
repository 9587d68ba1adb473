package rrunner.worker.images;

/**
 * An image name split the way the pull API wants it: {@code fromImage} and {@code tag}. The tag is never empty,
 * because an empty tag asks Docker to pull every tag of the repository.
 *
 * @param tag a tag or, for {@code name@sha256:...}, the digest
 */
record ImageReference(String repository, String tag) {

    static ImageReference parse(String image) {
        int at = image.indexOf('@');
        if (at >= 0) {
            return new ImageReference(image.substring(0, at), image.substring(at + 1));
        }
        int colon = image.lastIndexOf(':');
        if (colon > image.lastIndexOf('/')) {
            return new ImageReference(image.substring(0, colon), image.substring(colon + 1));
        }
        return new ImageReference(image, "latest");
    }
}
