package rrunner.worker.images;

import rrunner.common.system.ImageInventory;
import java.util.ArrayList;
import java.util.Map;
import java.util.TreeMap;

/**
 * The R program that lists an image's R version and packages, and the parser of what it prints. Lines are
 * tagged ({@code V} version, {@code P} package) so stray output from R's startup can't be mistaken for a package;
 * tab-separated because r-base has no JSON package.
 */
final class InventoryListing {

    static final String SCRIPT = """
            cat("V\\t", R.version.string, "\\n", sep = "")
            ip <- installed.packages()[, c("Package", "Version"), drop = FALSE]
            cat(sprintf("P\\t%s\\t%s\\n", ip[, "Package"], ip[, "Version"]), sep = "")
            """;

    private InventoryListing() {
    }

    static ImageInventory parse(String image, String imageId, String stdout) {
        String rVersion = null;
        Map<String, String> versions = new TreeMap<>();
        for (String line : stdout.split("\n")) {
            String[] fields = line.strip().split("\t");
            if (fields.length == 2 && fields[0].equals("V")) {
                rVersion = fields[1];
            } else if (fields.length == 3 && fields[0].equals("P")) {
                // why: a package in several libraries is listed once per library, the one R loads first
                versions.putIfAbsent(fields[1], fields[2]);
            }
        }
        if (rVersion == null || versions.isEmpty()) {
            throw new IllegalArgumentException("no R version or packages in the listing");
        }
        return new ImageInventory(new ArrayList<>(versions.keySet()), rVersion, image, imageId, versions);
    }
}
