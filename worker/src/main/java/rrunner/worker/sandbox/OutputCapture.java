package rrunner.worker.sandbox;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * One output stream of a script, kept up to a byte cap. Bytes are decoded as UTF-8 as they arrive, carrying a
 * character split across chunks over to the next chunk, so each forwarded piece is whole text and the pieces
 * add up to the kept text. Past the cap bytes are only counted; {@link #finish} appends one marker line.
 * Synchronized: frames arrive on docker-java's thread while a timeout may read the capture from another.
 */
public final class OutputCapture {

    private final long maxBytes;
    private final Consumer<String> forward;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    // why: 3 bytes is the longest unfinished UTF-8 sequence a chunk can end with
    private final ByteBuffer pending = ByteBuffer.allocate(3 + 8192);
    private final StringBuilder text = new StringBuilder();
    private long keptBytes;
    private long droppedBytes;
    private String finished;

    /** {@code forward} receives each decoded piece within the cap, on the caller's thread. */
    public OutputCapture(long maxBytes, Consumer<String> forward) {
        this.maxBytes = maxBytes;
        this.forward = forward;
    }

    public synchronized void accept(byte[] bytes) {
        if (finished != null) {
            return;
        }
        int keep = (int) Math.min(bytes.length, maxBytes - keptBytes);
        droppedBytes += bytes.length - keep;
        keptBytes += keep;
        for (int offset = 0; offset < keep; ) {
            int take = Math.min(keep - offset, pending.remaining());
            pending.put(bytes, offset, take);
            offset += take;
            decode(false);
        }
    }

    /** The kept text plus, when output was cut, the marker; idempotent. */
    public synchronized String finish() {
        if (finished == null) {
            if (droppedBytes == 0) {
                decode(true);
            } else {
                // why: a partial character left at the cap is the cap's doing, not the script's, so it is
                // dropped rather than shown as a replacement character
                text.append("\n[output truncated: ").append(droppedBytes).append(" more bytes]\n");
            }
            finished = text.toString();
        }
        return finished;
    }

    private void decode(boolean endOfInput) {
        pending.flip();
        CharBuffer chars = CharBuffer.allocate(pending.remaining() + 1);
        decoder.decode(pending, chars, endOfInput);
        if (endOfInput) {
            decoder.flush(chars);
        }
        pending.compact();
        if (chars.position() > 0) {
            String piece = chars.flip().toString();
            text.append(piece);
            forward.accept(piece);
        }
    }
}
