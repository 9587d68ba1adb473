package rrunner.worker.sandbox;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.BooleanSupplier;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import rrunner.common.job.Artifact;
import rrunner.common.job.InputFile;
import rrunner.common.job.SkippedArtifact;
import rrunner.common.job.SkippedArtifacts;

/**
 * Reads a workspace's files out of the tar stream Docker's archive API returns, as data and in memory: no path
 * is ever opened on this machine, so a symlink in the workspace can't make us read a file outside it.
 *
 * <p>Only regular files count; symlinks, hard links, devices and FIFOs are skipped (and counted by kind), directory
 * entries are passed over, files in subdirectories keep their relative path. Files over the size limit are
 * skipped unread. Only the newest {@code maxCount} files are held at any time: an entry's header tells its age
 * before its content is read, so a file that could not make the cut is skipped unread too, and memory stays
 * within count × size. A skipped file's bytes stream past in small buffers, never held whole.
 *
 * <p>Every byte taken from the stream counts against the read budget, inside entries as well as between them. A
 * header's size is the file's apparent size, which a sparse file makes as large as it likes while it occupies one
 * block, and the archive carries every one of those bytes: an entry that would not fit in what is left of the
 * budget ends the read before any of it is taken, and is listed as unread. So does the stream failing once
 * {@code stopped} says the caller cut it (its deadline). Everything left out is listed with its reason.
 *
 * <p>A regular file with the path and the very bytes of one of the job's input files is the caller's own data
 * coming back: it is passed over as if it were not there (not returned, not counted, not listed). Its bytes are read
 * to compare them, within the same budget; an input the script changed is an artifact like any other.
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
     * What a workspace held: the files returned, and what was left out.
     *
     * @param skipped how many entries of each kind were left out, for metrics; counts only kinds that occurred;
     *     directories are never counted
     * @param listing every file left out, with its reason, for the result
     */
    public record Contents(List<Artifact> artifacts, Map<SkippedEntry, Integer> skipped, SkippedArtifacts listing) {

        public Contents {
            artifacts = List.copyOf(artifacts);
            skipped = Map.copyOf(skipped);
        }

        static Contents empty() {
            return new Contents(List.of(), Map.of(), new SkippedArtifacts());
        }
    }

    /** {@link #read(InputStream, int, long, long, BooleanSupplier)} of a stream nobody cuts. */
    public static Contents read(InputStream tarStream, int maxCount, long maxFileBytes, long readBudget)
            throws IOException {
        return read(tarStream, maxCount, maxFileBytes, readBudget, () -> false);
    }

    /** {@link #read(InputStream, int, long, long, BooleanSupplier, List)} of a job that sent no input files. */
    public static Contents read(InputStream tarStream, int maxCount, long maxFileBytes, long readBudget,
            BooleanSupplier stopped) throws IOException {
        return read(tarStream, maxCount, maxFileBytes, readBudget, stopped, List.of());
    }

    /**
     * @param readBudget stop reading the stream before it yields more than this many bytes (headers included)
     * @param stopped true once the caller cut the stream on purpose: a read failing then ends the scan with what
     *     it has instead of failing it
     * @param inputs the job's input files: those the archive holds unchanged are left out silently
     */
    public static Contents read(InputStream tarStream, int maxCount, long maxFileBytes, long readBudget,
            BooleanSupplier stopped, List<InputFile> inputs) throws IOException {
        if (maxCount <= 0) {
            return Contents.empty();
        }
        Scan scan = new Scan(maxCount, Math.min(maxFileBytes, MAX_ARRAY), readBudget, inputs);
        try {
            scan.run(tarStream);
        } catch (IOException e) {
            if (!stopped.getAsBoolean()) {
                throw e;
            }
            log.warn("workspace archive cut at its deadline; files from {} on are not returned", scan.current);
            scan.unread(scan.current, null);
        }
        return scan.contents();
    }

    /** One pass over an archive; {@link #current} names the entry being read, for the listing when it stops. */
    private static final class Scan {

        private final int maxCount;
        private final long maxFileBytes;
        private final long readBudget;
        // head = the oldest file kept, the first to give way
        private final PriorityQueue<Candidate> kept;
        private final Map<SkippedEntry, Integer> skipped = new EnumMap<>(SkippedEntry.class);
        private final SkippedArtifacts listing = new SkippedArtifacts();
        private final Map<String, byte[]> inputs = new HashMap<>();
        private String current = "(archive header)";

        Scan(int maxCount, long maxFileBytes, long readBudget, List<InputFile> inputs) {
            this.maxCount = maxCount;
            this.maxFileBytes = maxFileBytes;
            this.readBudget = readBudget;
            this.kept = new PriorityQueue<>(maxCount + 1, NEWEST_FIRST.reversed());
            inputs.forEach(input -> this.inputs.putIfAbsent(input.path(), input.content()));
        }

        void run(InputStream tarStream) throws IOException {
            BudgetStream counted = new BudgetStream(tarStream, readBudget);
            // why: names of non-ASCII files come as PAX records, always UTF-8; plain headers must not fall back to
            // the JVM's default charset, which a container's POSIX locale makes ASCII
            TarArchiveInputStream tar = new TarArchiveInputStream(counted, StandardCharsets.UTF_8.name());
            TarArchiveEntry entry;
            while ((entry = nextEntry(tar, counted)) != null) {
                String name = relativeName(entry.getName());
                current = name;
                if (isDirectory(entry) || name.isEmpty()) {
                    continue;
                }
                // why before anything else: passing over an entry reads its bytes, as many as its header claims
                if (entry.getSize() > counted.left()) {
                    log.warn("workspace entry {} claims {} bytes, more than the {} left of the read budget; "
                            + "collection stops there", name, entry.getSize(), counted.left());
                    unread(name, entry.getSize());
                    return;
                }
                byte[] input = inputs.get(name);
                if (input != null && isRegularFile(entry) && entry.getSize() == input.length) {
                    compareWithInput(tar, entry, name, input);
                } else if (!isRegularFile(entry)) {
                    skip(SkippedEntry.kindOf(entry), name, SkippedArtifact.Reason.NOT_A_FILE, null);
                } else if (entry.getSize() > maxFileBytes) {
                    skip(SkippedEntry.OVERSIZE, name, SkippedArtifact.Reason.TOO_LARGE, entry.getSize());
                } else {
                    keep(tar, entry, name);
                }
            }
            current = "(end of archive)";
        }

        /** The next entry, or null once the budget can't hold another header. */
        private TarArchiveEntry nextEntry(TarArchiveInputStream tar, BudgetStream counted) throws IOException {
            try {
                return tar.getNextEntry();
            } catch (BudgetStream.BudgetSpentException e) {
                log.warn("workspace archive over its {} byte read budget after {}", readBudget, current);
                unread("(after " + current + ")", null);
                return null;
            }
        }

        private void keep(TarArchiveInputStream tar, TarArchiveEntry entry, String name) throws IOException {
            Candidate probe = new Candidate(name, entry.getLastModifiedTime().toInstant(), null);
            if (!makesTheCut(probe)) {
                skip(SkippedEntry.OVER_COUNT, name, SkippedArtifact.Reason.TOO_MANY, entry.getSize());
                return;
            }
            add(new Candidate(name, probe.modified(), content(tar, entry, name)));
        }

        /** An input file comes back unchanged (left out) or changed (an artifact like any other, once read). */
        private void compareWithInput(TarArchiveInputStream tar, TarArchiveEntry entry, String name, byte[] input)
                throws IOException {
            byte[] content = content(tar, entry, name);
            if (Arrays.equals(content, input)) {
                return;
            }
            Candidate candidate = new Candidate(name, entry.getLastModifiedTime().toInstant(), content);
            if (entry.getSize() > maxFileBytes) {
                skip(SkippedEntry.OVERSIZE, name, SkippedArtifact.Reason.TOO_LARGE, entry.getSize());
            } else if (!makesTheCut(candidate)) {
                skip(SkippedEntry.OVER_COUNT, name, SkippedArtifact.Reason.TOO_MANY, entry.getSize());
            } else {
                add(candidate);
            }
        }

        private boolean makesTheCut(Candidate candidate) {
            return kept.size() < maxCount || NEWEST_FIRST.compare(candidate, kept.peek()) <= 0;
        }

        private static byte[] content(TarArchiveInputStream tar, TarArchiveEntry entry, String name)
                throws IOException {
            byte[] content = tar.readNBytes((int) entry.getSize());
            if (content.length != entry.getSize()) {
                throw new IOException("workspace archive ended inside " + name);
            }
            return content;
        }

        private void add(Candidate candidate) {
            kept.add(candidate);
            if (kept.size() > maxCount) {
                Candidate evicted = kept.poll();
                skip(SkippedEntry.OVER_COUNT, evicted.name(), SkippedArtifact.Reason.TOO_MANY,
                        (long) evicted.content().length);
            }
        }

        private void skip(SkippedEntry kind, String name, SkippedArtifact.Reason reason, Long size) {
            skipped.merge(kind, 1, Integer::sum);
            listing.add(name, reason, size);
        }

        void unread(String name, Long size) {
            skip(SkippedEntry.UNREAD, name, SkippedArtifact.Reason.UNREAD, size);
        }

        Contents contents() {
            List<Candidate> newestFirst = new ArrayList<>(kept);
            newestFirst.sort(NEWEST_FIRST);
            return new Contents(newestFirst.stream().map(c -> Artifact.of(c.name(), c.content())).toList(),
                    skipped, listing);
        }
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

    /** Counts what the archive yields and refuses to yield more than the budget. */
    private static final class BudgetStream extends FilterInputStream {

        private final long budget;
        private long count;

        BudgetStream(InputStream in, long budget) {
            super(in);
            this.budget = budget;
        }

        long left() {
            return budget - count;
        }

        @Override
        public int read() throws IOException {
            if (left() <= 0) {
                throw new BudgetSpentException();
            }
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (length > 0 && left() <= 0) {
                throw new BudgetSpentException();
            }
            int n = super.read(buffer, offset, (int) Math.min(length, Math.max(left(), 0)));
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(Math.min(n, Math.max(left(), 0)));
            count += skipped;
            return skipped;
        }

        /** The budget ran out; only ever thrown between entries, since an entry is checked against it first. */
        static final class BudgetSpentException extends IOException {

            BudgetSpentException() {
                super("read budget spent");
            }
        }
    }
}
