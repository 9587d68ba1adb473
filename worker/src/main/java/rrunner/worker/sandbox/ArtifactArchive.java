package rrunner.worker.sandbox;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import rrunner.common.job.Artifact;

/**
 * Reads a workspace's files out of the tar stream Docker's archive API returns, as data and in memory: no path
 * is ever opened on this machine, so a symlink in the workspace can't make us read a file outside it.
 *
 * <p>Only regular files count; symlinks, hard links, devices and FIFOs are skipped (and counted by kind), directory
 * entries are passed over, files in subdirectories keep their relative path. Files over the size limit are
 * skipped unread. Only the newest {@code maxCount} files are held at any time: an entry's header tells its age
 * before its content is read, so a file that could not make the cut is skipped unread too, and memory stays
 * within count × size. A skipped file's bytes stream past in small buffers, never held whole.
 */
public final class ArtifactArchive {

    private static final Logger log = LoggerFactory.getLogger(ArtifactArchive.class);
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    /** Newest first; equal times (tar keeps whole seconds) by name so the order is stable. */
    static final Comparator<Candidate> NEWEST_FIRST =
            Comparator.comparing(Candidate::modified).reversed().thenComparing(Candidate::name);

    private ArtifactArchive() {
    }

    /**
     * What a workspace held: the files returned, and how many entries of each kind were left out.
     *
     * @param skipped counts only kinds that occurred; directories are never counted
     */
    public record Contents(List<Artifact> artifacts, Map<SkippedEntry, Integer> skipped) {

        public Contents {
            artifacts = List.copyOf(artifacts);
            skipped = Map.copyOf(skipped);
        }

        static final Contents EMPTY = new Contents(List.of(), Map.of());
    }

    /**
     * @param readBudget stop reading the stream after this many bytes (headers included), whatever is left
     */
    public static Contents read(InputStream tarStream, int maxCount, long maxFileBytes, long readBudget)
            throws IOException {
        if (maxCount <= 0) {
            return Contents.EMPTY;
        }
        // head = the oldest file kept, the first to give way
        PriorityQueue<Candidate> kept = new PriorityQueue<>(maxCount + 1, NEWEST_FIRST.reversed());
        Map<SkippedEntry, Integer> skipped = new EnumMap<>(SkippedEntry.class);
        int eligible = 0;
        CountingStream counted = new CountingStream(tarStream);
        // why: names of non-ASCII files come as PAX records, always UTF-8; plain headers must not fall back to the
        // JVM's default charset, which a container's POSIX locale makes ASCII
        TarArchiveInputStream tar = new TarArchiveInputStream(counted, StandardCharsets.UTF_8.name());
        TarArchiveEntry entry;
        while ((entry = tar.getNextEntry()) != null) {
            if (counted.count > readBudget) {
                log.warn("workspace archive over its {} byte read budget; later files ignored", readBudget);
                break;
            }
            String name = relativeName(entry.getName());
            if (isDirectory(entry) || name.isEmpty()) {
                continue;
            }
            if (!isRegularFile(entry)) {
                skipped.merge(SkippedEntry.kindOf(entry), 1, Integer::sum);
                continue;
            }
            if (entry.getSize() > Math.min(maxFileBytes, MAX_ARRAY)) {
                skipped.merge(SkippedEntry.OVERSIZE, 1, Integer::sum);
                continue;
            }
            eligible++;
            Candidate probe = new Candidate(name, entry.getLastModifiedTime().toInstant(), null);
            if (kept.size() == maxCount && NEWEST_FIRST.compare(probe, kept.peek()) > 0) {
                continue;
            }
            byte[] content = tar.readNBytes((int) entry.getSize());
            if (content.length != entry.getSize()) {
                eligible--;
                break;
            }
            kept.add(new Candidate(name, probe.modified(), content));
            if (kept.size() > maxCount) {
                kept.poll();
            }
        }
        if (eligible > kept.size()) {
            skipped.put(SkippedEntry.OVER_COUNT, eligible - kept.size());
        }
        List<Candidate> newestFirst = new ArrayList<>(kept);
        newestFirst.sort(NEWEST_FIRST);
        return new Contents(newestFirst.stream().map(c -> Artifact.of(c.name(), c.content())).toList(), skipped);
    }

    static boolean isDirectory(TarArchiveEntry entry) {
        return entry.getLinkFlag() == TarConstants.LF_DIR || entry.getName().endsWith("/");
    }

    static boolean isRegularFile(TarArchiveEntry entry) {
        byte flag = entry.getLinkFlag();
        boolean regularFlag = flag == TarConstants.LF_NORMAL || flag == TarConstants.LF_OLDNORM
                || flag == TarConstants.LF_CONTIG;
        return regularFlag && !entry.getName().endsWith("/");
    }

    /** {@code ./sub/a.csv} → {@code sub/a.csv}; the archive of {@code /workspace/.} names entries from {@code ./}. */
    static String relativeName(String name) {
        String relative = name;
        while (relative.startsWith("./") || relative.startsWith("/")) {
            relative = relative.substring(relative.indexOf('/') + 1);
        }
        return relative.equals(".") ? "" : relative;
    }

    record Candidate(String name, Instant modified, byte[] content) {
    }

    private static final class CountingStream extends FilterInputStream {

        private long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count += skipped;
            return skipped;
        }
    }
}
