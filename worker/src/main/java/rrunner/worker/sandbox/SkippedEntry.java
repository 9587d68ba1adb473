package rrunner.worker.sandbox;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Why a workspace entry was not returned as an artifact; {@link #tag} is the {@code kind} tag of the
 * {@value ArtifactMetrics#SKIPPED} counter. Directories are the workspace's structure, not skipped files, so
 * they have no kind here.
 */
public enum SkippedEntry {
    SYMLINK("symlink"),
    HARDLINK("hardlink"),
    FIFO("fifo"),
    DEVICE("device"),
    /** Any other entry type a tar stream can carry (sparse files, sockets); never seen from Docker so far. */
    OTHER("other"),
    /** A regular file over the artifact size limit, skipped unread. */
    OVERSIZE("oversize"),
    /** A regular file that was not among the newest {@code maxArtifactCount}. */
    OVER_COUNT("over-count"),
    /** Collection stopped here: the entry would have passed the read budget, or the deadline cut the stream. */
    UNREAD("unread");

    private final String tag;

    SkippedEntry(String tag) {
        this.tag = tag;
    }

    public String tag() {
        return tag;
    }

    /** The kind of a non-regular, non-directory entry. */
    static SkippedEntry kindOf(TarArchiveEntry entry) {
        return switch (entry.getLinkFlag()) {
            case TarConstants.LF_SYMLINK -> SYMLINK;
            case TarConstants.LF_LINK -> HARDLINK;
            case TarConstants.LF_FIFO -> FIFO;
            case TarConstants.LF_CHR, TarConstants.LF_BLK -> DEVICE;
            default -> OTHER;
        };
    }
}
