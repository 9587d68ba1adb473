package rrunner.worker.sandbox;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import rrunner.common.job.InputFile;

/**
 * A job's input files as the tar archive the archive API unpacks into its workspace: every file and each of its
 * parent directories, owned by the sandbox user, so the script can change, replace and add to them. The workspace
 * root itself has no entry: it keeps the owner and mode its mount gave it.
 */
final class InputArchive {

    /** Read and write for the sandbox user only, as the workspace root is (mode 0700). */
    static final int FILE_MODE = 0600;
    static final int DIRECTORY_MODE = 0700;

    private InputArchive() {
    }

    /** The archive of {@code files}, paths as the gateway checked them (relative, safe segments, unique). */
    static byte[] of(List<InputFile> files, int uid, int gid, Instant modified) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(
                files.stream().mapToInt(f -> f.content().length + 1024).sum() + 1024);
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes, StandardCharsets.UTF_8.name())) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (String directory : parentsOf(files)) {
                TarArchiveEntry entry = new TarArchiveEntry(directory + "/", TarConstants.LF_DIR);
                tar.putArchiveEntry(owned(entry, DIRECTORY_MODE, uid, gid, modified));
                tar.closeArchiveEntry();
            }
            for (InputFile file : files) {
                TarArchiveEntry entry = new TarArchiveEntry(file.path(), TarConstants.LF_NORMAL);
                entry.setSize(file.content().length);
                tar.putArchiveEntry(owned(entry, FILE_MODE, uid, gid, modified));
                tar.write(file.content());
                tar.closeArchiveEntry();
            }
            tar.finish();
        } catch (IOException e) {
            throw new UncheckedIOException("writing the input archive in memory failed", e);
        }
        return bytes.toByteArray();
    }

    /** Every directory a file lies in, each once, a parent before its children. */
    static Set<String> parentsOf(List<InputFile> files) {
        Set<String> directories = new LinkedHashSet<>();
        for (InputFile file : files) {
            for (int slash = file.path().indexOf('/'); slash > 0; slash = file.path().indexOf('/', slash + 1)) {
                directories.add(file.path().substring(0, slash));
            }
        }
        return directories;
    }

    private static TarArchiveEntry owned(TarArchiveEntry entry, int mode, int uid, int gid, Instant modified) {
        entry.setMode(mode);
        entry.setUserId(uid);
        entry.setGroupId(gid);
        entry.setModTime(Date.from(modified));
        return entry;
    }
}
