package rrunner.worker.images;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ImageReferenceTest {

    @Test
    void splitsNameAndTag() {
        assertThat(ImageReference.parse("r-runner-r-base:latest"))
                .isEqualTo(new ImageReference("r-runner-r-base", "latest"));
    }

    @Test
    void defaultsToLatestSoNotEveryTagIsPulled() {
        assertThat(ImageReference.parse("ghcr.io/acme/r")).isEqualTo(new ImageReference("ghcr.io/acme/r", "latest"));
    }

    @Test
    void keepsARegistryPortInTheRepository() {
        assertThat(ImageReference.parse("localhost:5000/r-base"))
                .isEqualTo(new ImageReference("localhost:5000/r-base", "latest"));
        assertThat(ImageReference.parse("localhost:5000/r-base:4.2"))
                .isEqualTo(new ImageReference("localhost:5000/r-base", "4.2"));
    }

    @Test
    void passesADigestAsTheTag() {
        assertThat(ImageReference.parse("acme/r@sha256:abc"))
                .isEqualTo(new ImageReference("acme/r", "sha256:abc"));
    }
}
