package rrunner.common.session;

import java.time.Instant;

/**
 * One file operation asked of a session, queued for the worker it lives on, which answers with a {@link FileReply}.
 *
 * @param id unguessable; names the reply
 * @param session the session whose workspace it acts on
 * @param action what to do
 * @param path relative to the workspace, checked by the gateway and again by the worker; null for {@link
 *     Action#LIST}
 * @param content what {@link Action#PUT} writes; null otherwise
 * @param maxBytes the most {@link Action#GET} reads back; a larger file is {@link FileReply.Outcome#TOO_LARGE}
 * @param deadline when the caller stops waiting: a worker that takes the request later drops it
 */
public record FileRequest(String id, String session, Action action, String path, byte[] content,
        long maxBytes, Instant deadline) {

    /** What a file request does. */
    public enum Action {
        PUT, GET, DELETE, LIST
    }
}
