package rrunner.worker.session;

import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.Queue;

/**
 * The stdin of R's long-lived exec: docker-java's copy thread reads it for as long as the session lives, blocking
 * here between requests and writing (and flushing) whatever it gets. It ends only when closed: the container never
 * sees that end anyway (docker-java issue 1448), so closing only frees the copy thread.
 */
final class RequestFeed extends InputStream {

    private final Queue<byte[]> queued = new ArrayDeque<>();
    private byte[] current;
    private int position;
    private boolean closed;

    synchronized void send(byte[] request) {
        if (!closed) {
            queued.add(request);
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
        while ((current == null || position == current.length) && !closed) {
            current = queued.poll();
            position = 0;
            if (current == null) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while waiting for a request");
                }
            }
        }
        if (closed) {
            return -1;
        }
        if (length == 0) {
            return 0;
        }
        int count = Math.min(length, current.length - position);
        System.arraycopy(current, position, buffer, offset, count);
        position += count;
        return count;
    }

    @Override
    public synchronized void close() {
        closed = true;
        queued.clear();
        notifyAll();
    }
}
