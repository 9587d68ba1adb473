package rrunner.worker.session;

/** A file put into a session's workspace did not fit; nothing of it is left there. */
public class WorkspaceFullException extends RuntimeException {

    public WorkspaceFullException(String path, long bytes) {
        super("the workspace has no room for " + path + " (" + bytes + " bytes)");
    }
}
