package rrunner.worker.sandbox;

import java.io.InputStream;
import java.io.InterruptedIOException;

/**
 * The stdin of a script's exec: blocks until the script is sent, hands over exactly those bytes, then ends. What
 * reads it is docker-java's copy thread, started with the exec; blocking here is how a sandbox waits for its job
 * with R already loaded. Closing it without a script ends it at once, so the copy thread never outlives its exec.
 */
final class ScriptFeed extends InputStream {

    private byte[] bytes;
    private int position;
    private boolean closed;

    /** Hands over the script's stdin; only the first call counts. */
    synchronized void send(byte[] stdin) {
        if (bytes == null && !closed) {
            bytes = stdin;
            notifyAll();
        }
    }

    @Override
    public synchronized int read() throws InterruptedIOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public synchronized int read(byte[] buffer, int offset, int length) throws InterruptedIOException {
        while (bytes == null && !closed) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for the script");
            }
        }
        if (bytes == null || position == bytes.length) {
            return -1;
        }
        if (length == 0) {
            return 0;
        }
        int count = Math.min(length, bytes.length - position);
        System.arraycopy(bytes, position, buffer, offset, count);
        position += count;
        return count;
    }

    @Override
    public synchronized void close() {
        closed = true;
        notifyAll();
    }
}
