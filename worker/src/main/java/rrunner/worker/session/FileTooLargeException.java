package rrunner.worker.session;

/** A workspace file asked for is larger than the caller would take; nothing of it is returned. */
public class FileTooLargeException extends RuntimeException {

    public FileTooLargeException(String path, long maxBytes) {
        super(path + " is larger than " + maxBytes + " bytes");
    }
}
