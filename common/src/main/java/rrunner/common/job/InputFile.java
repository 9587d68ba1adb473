package rrunner.common.job;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Arrays;
import java.util.Objects;

/**
 * A file the caller sent with the script, placed in the working directory before the script's first line runs.
 * The gateway has checked the path (relative POSIX, safe segments, unique) and the sizes; Jackson stores the
 * content as base64 in the job's spec.
 *
 * @param path relative POSIX path under the working directory, such as {@code data/in.csv}
 * @param content the file's bytes, decoded from the request's encoding
 */
public record InputFile(
        @JsonProperty("path") String path,
        @JsonProperty("content") byte[] content) {

    public InputFile {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(content, "content");
    }

    /** why overridden: a record compares arrays by identity, and two specs with the same files are equal. */
    @Override
    public boolean equals(Object other) {
        return other instanceof InputFile file && path.equals(file.path) && Arrays.equals(content, file.content);
    }

    @Override
    public int hashCode() {
        return 31 * path.hashCode() + Arrays.hashCode(content);
    }

    @Override
    public String toString() {
        return "InputFile[" + path + ", " + content.length + " bytes]";
    }
}
