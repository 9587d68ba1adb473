package rrunner.worker.session;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A command's stdout as an {@link InputStream}, fed by its exec's frames through a short queue: docker-java's
 * thread blocks while the reader is behind, so at most a few frames are ever held. A read past the deadline fails,
 * and closing ends the exec's stream, so a reader that stops early also stops the command.
 */
final class FrameStream extends InputStream {

    private static final Logger log = LoggerFactory.getLogger(FrameStream.class);
    private static final byte[] END = new byte[0];
    private static final int QUEUED_FRAMES = 16;

    private final BlockingQueue<byte[]> frames = new ArrayBlockingQueue<>(QUEUED_FRAMES);
    private final long deadlineNanos;
    private final Feeder feeder = new Feeder();
    private byte[] current = new byte[0];
    private int position;
    private boolean ended;
    private volatile boolean closed;

    FrameStream(Duration deadline) {
        this.deadlineNanos = System.nanoTime() + deadline.toNanos();
    }

    ResultCallback.Adapter<Frame> callback() {
        return feeder;
    }

    /** Whether the stream was closed or its deadline passed: a read failing then is the cut, not the command. */
    boolean stopped() {
        return closed || System.nanoTime() > deadlineNanos;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        while (position == current.length) {
            if (ended) {
                return -1;
            }
            byte[] next;
            try {
                next = frames.poll(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading a command's output");
            }
            if (next == null) {
                throw new IOException("the command's output did not end within its deadline");
            }
            if (next == END) {
                ended = true;
            }
            current = next;
            position = 0;
        }
        int count = Math.min(length, current.length - position);
        System.arraycopy(current, position, buffer, offset, count);
        position += count;
        return count;
    }

    @Override
    public void close() {
        closed = true;
        try {
            feeder.close();
        } catch (IOException e) {
            log.debug("closing a command's stream failed", e);
        }
        frames.clear();
    }

    /** Queues stdout frames; stderr is dropped (the caller judges the stream, not the command's complaints). */
    private final class Feeder extends ResultCallback.Adapter<Frame> {

        @Override
        public void onNext(Frame frame) {
            if (frame.getStreamType() != StreamType.STDERR && frame.getPayload().length > 0) {
                // why a copy: docker-java may reuse a frame's buffer once onNext returns, and this one is queued
                put(frame.getPayload().clone());
            }
        }

        @Override
        public void onComplete() {
            put(END);
            super.onComplete();
        }

        @Override
        public void onError(Throwable throwable) {
            log.debug("a command's stream failed", throwable);
            put(END);
        }

        private void put(byte[] bytes) {
            try {
                while (!closed && !frames.offer(bytes, 100, TimeUnit.MILLISECONDS)) {
                    // why a loop: the reader may have stopped (closed) while this thread waited for room
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
