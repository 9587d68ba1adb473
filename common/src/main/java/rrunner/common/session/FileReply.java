package rrunner.common.session;

import java.util.List;

/**
 * A worker's answer to a {@link FileRequest}.
 *
 * @param outcome how it went
 * @param detail what went wrong, in words for the caller; empty when it went as asked
 * @param content the file's bytes, for a {@code GET} that found it; null otherwise
 * @param files the workspace's files, for a {@code LIST}; empty otherwise
 */
public record FileReply(Outcome outcome, String detail, byte[] content, List<SessionFile> files) {

    /** How a file request went. */
    public enum Outcome {
        /** Done as asked. */
        DONE,
        /** No regular file at that path (or it leads out of the workspace, which is the same to the caller). */
        MISSING,
        /** The path names a directory, or leads through a symlink out of the workspace. */
        INVALID,
        /** The file is larger than the request's {@code maxBytes}. */
        TOO_LARGE,
        /** The workspace has no room for what was put. */
        FULL,
        /** The session is not on the worker that took the request, or its sandbox failed. */
        FAILED
    }

    public FileReply {
        files = files == null ? List.of() : List.copyOf(files);
    }

    public static FileReply done() {
        return new FileReply(Outcome.DONE, "", null, List.of());
    }

    public static FileReply refused(Outcome outcome, String detail) {
        return new FileReply(outcome, detail, null, List.of());
    }
}
