package rrunner.gateway.jobs;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import rrunner.common.job.InputFile;
import rrunner.common.job.InputFileDigest;

/** A job's input files as its view shows them: path, size and SHA-256 (lower-case hex), never the content. */
final class InputDigests {

    private InputDigests() {
    }

    static List<InputFileDigest> of(List<InputFile> files) {
        return files.stream()
                .map(file -> new InputFileDigest(file.path(), file.content().length, sha256(file.content())))
                .toList();
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
