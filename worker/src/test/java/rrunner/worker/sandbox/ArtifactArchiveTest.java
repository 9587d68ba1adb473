package rrunner.worker.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.zip.ZipEncodingHelper;
import org.junit.jupiter.api.Test;
import rrunner.common.job.Artifact;
import rrunner.common.job.InputFile;
import rrunner.common.job.SkippedArtifact;

class ArtifactArchiveTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final long NO_BUDGET_LIMIT = Long.MAX_VALUE;

    @Test
    void returnsRegularFilesWithTheirRelativeNames() throws IOException {
        byte[] tar = new TarBuilder()
                .directory("./", 0)
                .file("./a.txt", "hello", 1)
                .directory("./sub/", 2)
                .file("./sub/nested.csv", "x,y\n1,2\n", 3)
                .build();

        List<Artifact> artifacts = read(tar, 10, 1000, NO_BUDGET_LIMIT).artifacts();

        assertThat(artifacts).extracting(Artifact::filename).containsExactly("sub/nested.csv", "a.txt");
        assertThat(artifacts.get(0).content()).isEqualTo("x,y\n1,2\n");
        assertThat(artifacts.get(0).mimeType()).isEqualTo("text/csv");
    }

    @Test
    void skipsSymlinksHardLinksFifosAndDevices() throws IOException {
        byte[] tar = new TarBuilder()
                .file("./a.txt", "mine", 1)
                .link("./x.txt", "/etc/passwd", TarConstants.LF_SYMLINK, 2)
                .link("./hard.txt", "./a.txt", TarConstants.LF_LINK, 3)
                .special("./fifo", TarConstants.LF_FIFO, 4)
                .special("./tty", TarConstants.LF_CHR, 5)
                .special("./disk", TarConstants.LF_BLK, 6)
                .build();

        List<Artifact> artifacts = read(tar, 10, 1000, NO_BUDGET_LIMIT).artifacts();

        assertThat(artifacts).extracting(Artifact::filename).containsExactly("a.txt");
        assertThat(artifacts).extracting(Artifact::content).containsExactly("mine");
    }

    @Test
    void countsSkippedEntriesByKindButNotDirectories() throws IOException {
        byte[] tar = new TarBuilder()
                .directory("./", 0)
                .directory("./sub/", 0)
                .file("./new.txt", "new", 9)
                .file("./old.txt", "old", 1)
                .file("./older.txt", "older", 0)
                .file("./big.bin", "0123456789", 5)
                .link("./x.txt", "/etc/passwd", TarConstants.LF_SYMLINK, 2)
                .link("./up", "../../", TarConstants.LF_SYMLINK, 2)
                .link("./hard.txt", "./new.txt", TarConstants.LF_LINK, 3)
                .special("./fifo", TarConstants.LF_FIFO, 4)
                .special("./tty", TarConstants.LF_CHR, 5)
                .special("./disk", TarConstants.LF_BLK, 6)
                .build();

        ArtifactArchive.Contents contents = read(tar, 2, 5, NO_BUDGET_LIMIT);

        assertThat(contents.artifacts()).extracting(Artifact::filename).containsExactly("new.txt", "old.txt");
        assertThat(contents.skipped()).containsExactlyInAnyOrderEntriesOf(Map.of(
                SkippedEntry.SYMLINK, 2,
                SkippedEntry.HARDLINK, 1,
                SkippedEntry.FIFO, 1,
                SkippedEntry.DEVICE, 2,
                SkippedEntry.OVERSIZE, 1,
                SkippedEntry.OVER_COUNT, 1));
    }

    @Test
    void countsNothingWhenEverythingIsReturned() throws IOException {
        byte[] tar = new TarBuilder().directory("./", 0).file("./a.txt", "a", 1).build();

        assertThat(read(tar, 10, 1000, NO_BUDGET_LIMIT).skipped()).isEmpty();
    }

    @Test
    void decodesNonAsciiNamesAsUtf8() throws IOException {
        byte[] tar = new TarBuilder().file("./données-é.csv", "a,b\n", 1).build();

        assertThat(read(tar, 10, 1000, NO_BUDGET_LIMIT).artifacts()).extracting(Artifact::filename)
                .containsExactly("données-é.csv");
    }

    @Test
    void skipsFilesOverTheSizeLimit() throws IOException {
        byte[] tar = new TarBuilder()
                .file("./big.bin", "0123456789", 2)
                .file("./small.txt", "01234", 1)
                .build();

        List<Artifact> artifacts = read(tar, 10, 5, NO_BUDGET_LIMIT).artifacts();

        assertThat(artifacts).extracting(Artifact::filename).containsExactly("small.txt");
    }

    @Test
    void skipsAFileLargerThanTheWholeHeapWithoutHoldingIt() throws IOException {
        long hugeSize = 7L << 30;
        assertThat(hugeSize).isGreaterThan(Runtime.getRuntime().maxMemory());
        TarArchiveEntry huge = new TarArchiveEntry("./huge.bin");
        huge.setSize(hugeSize);
        huge.setModTime(Date.from(T0.plusSeconds(2)));
        byte[] header = new byte[512];
        huge.writeEntryHeader(header);
        byte[] rest = new TarBuilder().file("./small.txt", "small", 1).build();
        InputStream tar = new SequenceInputStream(Collections.enumeration(List.of(
                new ByteArrayInputStream(header), new Zeros(hugeSize), new ByteArrayInputStream(rest))));

        ArtifactArchive.Contents contents = ArtifactArchive.read(tar, 10, 1000, NO_BUDGET_LIMIT);

        assertThat(contents.artifacts()).extracting(Artifact::filename).containsExactly("small.txt");
        assertThat(contents.skipped()).containsExactly(Map.entry(SkippedEntry.OVERSIZE, 1));
    }

    @Test
    void keepsOnlyTheNewestFilesUpToTheCountNewestFirst() throws IOException {
        TarBuilder builder = new TarBuilder();
        int[] ages = {5, 1, 9, 3, 7, 2, 8, 4, 6, 0};
        for (int age : ages) {
            builder.file("./f" + age + ".txt", "file " + age, 100 - age);
        }

        List<Artifact> artifacts = read(builder.build(), 3, 1000, NO_BUDGET_LIMIT).artifacts();

        assertThat(artifacts).extracting(Artifact::filename).containsExactly("f0.txt", "f1.txt", "f2.txt");
    }

    @Test
    void ordersFilesOfTheSameSecondByName() throws IOException {
        byte[] tar = new TarBuilder()
                .file("./c.txt", "c", 1)
                .file("./a.txt", "a", 1)
                .file("./b.txt", "b", 1)
                .build();

        List<Artifact> artifacts = read(tar, 2, 1000, NO_BUDGET_LIMIT).artifacts();

        assertThat(artifacts).extracting(Artifact::filename).containsExactly("a.txt", "b.txt");
    }

    @Test
    void leavesOutInputFilesThatComeBackUnchangedWithoutCountingThem() throws IOException {
        byte[] tar = new TarBuilder()
                .directory("./", 0)
                .directory("./data/", 1)
                .file("./data/in.csv", "x\n1\n", 9)
                .file("./same-name.txt", "other bytes", 8)
                .file("./same-bytes.txt", "as sent", 7)
                .file("./out.txt", "made", 2)
                .build();
        List<InputFile> inputs = List.of(input("data/in.csv", "x\n1\n"), input("same-name.txt", "sent bytes"),
                input("sent.txt", "as sent"));

        ArtifactArchive.Contents contents = ArtifactArchive.read(new ByteArrayInputStream(tar), 2, 1000,
                NO_BUDGET_LIMIT, () -> false, inputs);

        assertThat(contents.artifacts()).extracting(Artifact::filename)
                .containsExactly("same-name.txt", "same-bytes.txt");
        assertThat(contents.listing().listed()).extracting(SkippedArtifact::filename).containsExactly("out.txt");
        assertThat(contents.skipped()).containsExactly(Map.entry(SkippedEntry.OVER_COUNT, 1));
    }

    @Test
    void returnsNothingWhenNoArtifactsAreAllowed() throws IOException {
        byte[] tar = new TarBuilder().file("./a.txt", "a", 1).build();

        assertThat(read(tar, 0, 1000, NO_BUDGET_LIMIT).artifacts()).isEmpty();
    }

    @Test
    void stopsReadingPastTheReadBudget() throws IOException {
        TarBuilder builder = new TarBuilder();
        for (int i = 0; i < 10; i++) {
            builder.file("./f" + i + ".txt", "x".repeat(1000), i);
        }

        List<Artifact> artifacts = read(builder.build(), 10, 1000, 4000).artifacts();

        assertThat(artifacts).hasSizeBetween(1, 4);
    }

    @Test
    void anEntryClaimingMoreThanTheBudgetLeftEndsTheReadBeforeAnyOfItIsTaken() throws IOException {
        long petabyte = 1_000_000_000_000_000L;
        byte[] first = new TarBuilder().file("./before.txt", "before", 2).buildWithoutEnd();
        TarArchiveEntry sparse = new TarArchiveEntry("./big.bin");
        sparse.setSize(petabyte);
        sparse.setModTime(Date.from(T0.plusSeconds(3)));
        byte[] header = new byte[512];
        // why star mode: a size past 8 GB does not fit the octal field, so it goes base-256 as GNU tar writes it
        sparse.writeEntryHeader(header, ZipEncodingHelper.getZipEncoding(StandardCharsets.UTF_8.name()), true);
        InputStream tar = new SequenceInputStream(Collections.enumeration(List.of(
                new ByteArrayInputStream(first), new ByteArrayInputStream(header), new NeverRead())));

        ArtifactArchive.Contents contents = ArtifactArchive.read(tar, 10, 1000, 1 << 20);

        assertThat(contents.artifacts()).extracting(Artifact::filename).containsExactly("before.txt");
        assertThat(contents.listing().listed()).containsExactly(
                new SkippedArtifact("big.bin", SkippedArtifact.Reason.UNREAD, petabyte));
        assertThat(contents.skipped()).containsExactly(Map.entry(SkippedEntry.UNREAD, 1));
    }

    @Test
    void aStreamCutByItsDeadlineEndsTheReadWithWhatItHad() throws IOException {
        byte[] first = new TarBuilder().file("./first.txt", "first", 2).buildWithoutEnd();
        InputStream cut = new SequenceInputStream(new ByteArrayInputStream(first), new NeverRead());

        ArtifactArchive.Contents contents = ArtifactArchive.read(cut, 10, 1000, NO_BUDGET_LIMIT, () -> true);

        assertThat(contents.artifacts()).extracting(Artifact::filename).containsExactly("first.txt");
        assertThat(contents.listing().listed()).extracting(SkippedArtifact::reason)
                .containsExactly(SkippedArtifact.Reason.UNREAD);
    }

    @Test
    void aStreamThatFailsWithoutBeingCutIsAFailure() {
        InputStream broken = new NeverRead();

        assertThatThrownBy(() -> ArtifactArchive.read(broken, 10, 1000, NO_BUDGET_LIMIT, () -> false))
                .isInstanceOf(IOException.class);
    }

    @Test
    void everyFileLeftOutIsListedWithItsReason() throws IOException {
        byte[] tar = new TarBuilder()
                .file("./new.txt", "new", 9)
                .file("./old.txt", "old", 1)
                .file("./big.bin", "0123456789", 5)
                .link("./x.txt", "/etc/passwd", TarConstants.LF_SYMLINK, 2)
                .build();

        ArtifactArchive.Contents contents = read(tar, 1, 5, NO_BUDGET_LIMIT);

        assertThat(contents.listing().listed()).containsExactlyInAnyOrder(
                new SkippedArtifact("old.txt", SkippedArtifact.Reason.TOO_MANY, 3L),
                new SkippedArtifact("big.bin", SkippedArtifact.Reason.TOO_LARGE, 10L),
                new SkippedArtifact("x.txt", SkippedArtifact.Reason.NOT_A_FILE, null));
    }

    @Test
    void returnsBinaryFilesAsBase64() throws IOException {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0};
        byte[] tar = new TarBuilder().file("./p.png", png, 1).build();

        Artifact artifact = read(tar, 10, 1000, NO_BUDGET_LIMIT).artifacts().get(0);

        assertThat(artifact.encoding()).isEqualTo(Artifact.BASE64);
        assertThat(Base64.getDecoder().decode(artifact.content())).isEqualTo(png);
    }

    @Test
    void stripsTheArchiveRootFromNames() {
        assertThat(ArtifactArchive.relativeName("./a.txt")).isEqualTo("a.txt");
        assertThat(ArtifactArchive.relativeName("./sub/b.txt")).isEqualTo("sub/b.txt");
        assertThat(ArtifactArchive.relativeName("a.txt")).isEqualTo("a.txt");
        assertThat(ArtifactArchive.relativeName("./")).isEmpty();
        assertThat(ArtifactArchive.relativeName(".")).isEmpty();
    }

    private static InputFile input(String path, String content) {
        return new InputFile(path, content.getBytes(StandardCharsets.UTF_8));
    }

    private static ArtifactArchive.Contents read(byte[] tar, int maxCount, long maxFileBytes, long readBudget)
            throws IOException {
        return ArtifactArchive.read(new ByteArrayInputStream(tar), maxCount, maxFileBytes, readBudget);
    }

    /** A stream that fails any read, standing for a body that is never to be read or was cut. */
    private static final class NeverRead extends InputStream {

        @Override
        public int read() throws IOException {
            throw new IOException("this stream must not be read");
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            throw new IOException("this stream must not be read");
        }
    }

    /** {@code size} zero bytes, made up as they are read or skipped. */
    private static final class Zeros extends InputStream {

        private long left;

        Zeros(long size) {
            left = size;
        }

        @Override
        public int read() {
            if (left == 0) {
                return -1;
            }
            left--;
            return 0;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (left == 0) {
                return -1;
            }
            int n = (int) Math.min(length, left);
            Arrays.fill(buffer, offset, offset + n, (byte) 0);
            left -= n;
            return n;
        }

        @Override
        public long skip(long n) {
            long skipped = Math.min(Math.max(n, 0), left);
            left -= skipped;
            return skipped;
        }
    }

    /** Hand-built archives, laid out as Docker's archive API returns {@code /workspace/.}. */
    private static final class TarBuilder {

        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes, StandardCharsets.UTF_8.name());

        TarBuilder() {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        }

        TarBuilder file(String name, String content, int secondsAfterT0) throws IOException {
            return file(name, content.getBytes(StandardCharsets.UTF_8), secondsAfterT0);
        }

        TarBuilder file(String name, byte[] content, int secondsAfterT0) throws IOException {
            TarArchiveEntry entry = new TarArchiveEntry(name);
            entry.setSize(content.length);
            entry.setModTime(Date.from(T0.plusSeconds(secondsAfterT0)));
            tar.putArchiveEntry(entry);
            tar.write(content);
            tar.closeArchiveEntry();
            return this;
        }

        TarBuilder directory(String name, int secondsAfterT0) throws IOException {
            TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_DIR);
            entry.setModTime(Date.from(T0.plusSeconds(secondsAfterT0)));
            tar.putArchiveEntry(entry);
            tar.closeArchiveEntry();
            return this;
        }

        TarBuilder link(String name, String target, byte flag, int secondsAfterT0) throws IOException {
            TarArchiveEntry entry = new TarArchiveEntry(name, flag);
            entry.setLinkName(target);
            entry.setModTime(Date.from(T0.plusSeconds(secondsAfterT0)));
            tar.putArchiveEntry(entry);
            tar.closeArchiveEntry();
            return this;
        }

        TarBuilder special(String name, byte flag, int secondsAfterT0) throws IOException {
            TarArchiveEntry entry = new TarArchiveEntry(name, flag);
            entry.setModTime(Date.from(T0.plusSeconds(secondsAfterT0)));
            tar.putArchiveEntry(entry);
            tar.closeArchiveEntry();
            return this;
        }

        byte[] build() throws IOException {
            tar.finish();
            tar.close();
            return bytes.toByteArray();
        }

        /** The entries without the end-of-archive records, to splice more after them. */
        byte[] buildWithoutEnd() throws IOException {
            byte[] whole = build();
            int end = whole.length;
            while (end >= 512 && isZero(whole, end - 512, end)) {
                end -= 512;
            }
            return Arrays.copyOf(whole, end);
        }

        private static boolean isZero(byte[] bytes, int from, int to) {
            for (int i = from; i < to; i++) {
                if (bytes[i] != 0) {
                    return false;
                }
            }
            return true;
        }
    }
}
