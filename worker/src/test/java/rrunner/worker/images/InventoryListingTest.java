package rrunner.worker.images;

import rrunner.common.system.ImageInventory;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class InventoryListingTest {

    @Test
    void parsesVersionAndSortedPackages() {
        String stdout = """
                V\tR version 4.2.2 (2022-10-31)
                P\tstats\t4.2.2
                P\tbase\t4.2.2
                P\tMASS\t7.3-58.2
                """;

        ImageInventory inventory = InventoryListing.parse("img:latest", "sha256:1", stdout);

        assertThat(inventory.rVersion()).isEqualTo("R version 4.2.2 (2022-10-31)");
        assertThat(inventory.packages()).containsExactly("MASS", "base", "stats");
        assertThat(inventory.versions()).containsEntry("MASS", "7.3-58.2");
        assertThat(inventory.image()).isEqualTo("img:latest");
        assertThat(inventory.imageId()).isEqualTo("sha256:1");
    }

    @Test
    void keepsTheFirstListingOfAPackageInstalledTwice() {
        String stdout = "V\tR version 4.2.2\nP\tMASS\t7.3-60\nP\tMASS\t7.3-58\n";

        assertThat(InventoryListing.parse("i", "sha256:1", stdout).versions()).containsEntry("MASS", "7.3-60");
    }

    @Test
    void ignoresUntaggedLines() {
        String stdout = "some startup noise\nV\tR version 4.2.2\nP\tbase\t4.2.2\nP\tbroken\n";

        assertThat(InventoryListing.parse("i", "sha256:1", stdout).packages()).containsExactly("base");
    }

    @Test
    void rejectsAListingWithoutPackages() {
        assertThatIllegalArgumentException().isThrownBy(() -> InventoryListing.parse("i", "sha256:1", "V\tR 4\n"));
    }
}
