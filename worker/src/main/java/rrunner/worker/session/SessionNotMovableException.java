package rrunner.worker.session;

/** A session could not be saved to move to another worker, or not restored there; the message says why. */
public class SessionNotMovableException extends RuntimeException {

    public SessionNotMovableException(String reason) {
        super(reason);
    }
}
