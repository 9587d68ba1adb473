package rrunner.worker.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import rrunner.common.job.InputFile;
import rrunner.common.job.InputFileDigest;

class InputArchiveTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    @Test
    void ownsEveryFileAndParentDirectoryByTheSandboxUserButLeavesTheWorkspaceRootAlone() throws IOException {
        byte[] tar = InputArchive.of(List.of(file("a/b/deep.csv", "x"), file("top.txt", "yz"),
                file("a/other.txt", "")), 10001, 10002, NOW);

        List<TarArchiveEntry> entries = entries(tar);

        assertThat(entries).extracting(TarArchiveEntry::getName, TarArchiveEntry::isDirectory, TarArchiveEntry::getSize)
                .containsExactly(
                        tuple("a/", true, 0L),
                        tuple("a/b/", true, 0L),
                        tuple("a/b/deep.csv", false, 1L),
                        tuple("top.txt", false, 2L),
                        tuple("a/other.txt", false, 0L));
        assertThat(entries).allSatisfy(entry -> {
            assertThat(entry.getLongUserId()).isEqualTo(10001);
            assertThat(entry.getLongGroupId()).isEqualTo(10002);
            assertThat(entry.getLastModifiedTime().toInstant()).isEqualTo(NOW);
            assertThat(entry.getMode() & 07777).isEqualTo(entry.isDirectory() ? 0700 : 0600);
        });
    }

    @Test
    void keepsLongPathsWhole() throws IOException {
        String path = "d".repeat(90) + "/" + "f".repeat(90) + ".csv";

        assertThat(entries(InputArchive.of(List.of(file(path, "1")), 1, 1, NOW)))
                .extracting(TarArchiveEntry::getName).containsExactly("d".repeat(90) + "/", path);
    }

    @Test
    void digestsEachFileInRequestOrder() {
        assertThat(InputDigests.of(List.of(file("b.txt", "abc"), file("a.txt", ""))))
                .containsExactly(
                        new InputFileDigest("b.txt", 3,
                                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
                        new InputFileDigest("a.txt", 0,
                                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    }

    private static InputFile file(String path, String content) {
        return new InputFile(path, content.getBytes(StandardCharsets.UTF_8));
    }

    private static List<TarArchiveEntry> entries(byte[] tar) throws IOException {
        List<TarArchiveEntry> entries = new ArrayList<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            for (TarArchiveEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                entries.add(entry);
            }
        }
        return entries;
    }
}
