package rrunner.common.job;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A file of the workspace that is not in the result's {@code artifacts}, and why: nothing the script wrote is
 * dropped without saying so.
 *
 * @param filename path relative to the working directory, as the archive named it
 * @param reason why it was left out
 * @param sizeBytes the file's size as its header gave it (an apparent size: a sparse file may claim far more
 *     than it occupies); null when not known
 */
public record SkippedArtifact(
        @JsonProperty("filename") String filename,
        @JsonProperty("reason") Reason reason,
        @JsonProperty("size_bytes") Long sizeBytes) {

    /** Why a file was left out; the wire names are part of the API. */
    public enum Reason {
        /** Larger than {@code MAX_ARTIFACT_BYTES}. */
        TOO_LARGE("too_large"),
        /** Older than the newest {@code MAX_ARTIFACT_COUNT} files. */
        TOO_MANY("too_many"),
        /** It would have taken the result past {@code MAX_RESULT_BYTES}. */
        RESULT_FULL("result_full"),
        /** Not a regular file: a symlink, hard link, FIFO or device. */
        NOT_A_FILE("not_a_file"),
        /**
         * Collection stopped at this file: reading it would have passed the collection's byte budget or deadline.
         * Files after it in the workspace were not looked at.
         */
        UNREAD("unread");

        private final String wireName;

        Reason(String wireName) {
            this.wireName = wireName;
        }

        @JsonValue
        public String wireName() {
            return wireName;
        }
    }
}
