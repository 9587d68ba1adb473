package rrunner.common.session;

import java.time.Instant;

/**
 * A file or directory in a session's workspace.
 *
 * @param path relative to the workspace, as {@code data/in.csv}
 * @param type {@link #FILE} or {@link #DIRECTORY}
 * @param size the apparent size in bytes (a sparse file claims more than it occupies)
 * @param mtime when its content last changed
 */
public record SessionFile(String path, String type, long size, Instant mtime) {

    public static final String FILE = "file";
    public static final String DIRECTORY = "directory";
}
