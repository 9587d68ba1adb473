package rrunner.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Files of the repository this module sits in (tests run with the module directory as working directory). */
final class RepositoryFiles {

    static final Path ROOT = locateRoot();

    private RepositoryFiles() {
    }

    static Path path(String relative) {
        return ROOT.resolve(relative);
    }

    static String read(String relative) {
        try {
            return Files.readString(path(relative), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path locateRoot() {
        Path moduleDir = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
        Path root = moduleDir.getParent();
        if (root == null || !Files.isRegularFile(root.resolve("compose.yaml"))) {
            throw new IllegalStateException("run from the deploy module: no compose.yaml above " + moduleDir);
        }
        return root;
    }
}
