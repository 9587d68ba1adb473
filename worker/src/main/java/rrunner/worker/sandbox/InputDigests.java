package rrunner.worker.sandbox;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import rrunner.common.job.InputFile;
import rrunner.common.job.InputFileDigest;

/** What a result reports of a job's input files: path, size and SHA-256, in request order. */
public final class InputDigests {

    private InputDigests() {
    }

    public static List<InputFileDigest> of(List<InputFile> files) {
        return files.stream().map(InputDigests::of).toList();
    }

    static InputFileDigest of(InputFile file) {
        return new InputFileDigest(file.path(), file.content().length, sha256(file.content()));
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
