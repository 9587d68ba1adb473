package rrunner.worker.session;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import rrunner.worker.sandbox.OutputCapture;

/**
 * One output stream of one exec, cut at the exec's end marker: every byte before the marker's token is the exec's
 * output (kept up to the capture's cap, the rest only counted), the rest of the marker's line is its tail, and
 * anything after it is dropped. The token starts with a byte (RS, 0x1E) found nowhere else in it, so a partial
 * match that fails can only restart at the failing byte, and at most the token's length is ever held back.
 * Not thread-safe: its {@link PendingExec} serializes access.
 */
final class MarkerCut {

    private final byte[] token;
    private final OutputCapture capture;
    private final int maxTail;
    private final ByteArrayOutputStream tail = new ByteArrayOutputStream();
    private int matched;
    private boolean inTail;
    private boolean done;
    private boolean malformed;

    /**
     * @param token the marker's start, nonce included
     * @param maxTail the longest tail taken; a longer one ends the stream as malformed
     */
    MarkerCut(String token, OutputCapture capture, int maxTail) {
        this.token = token.getBytes(StandardCharsets.US_ASCII);
        this.capture = capture;
        this.maxTail = maxTail;
    }

    void accept(byte[] bytes) {
        int i = 0;
        while (i < bytes.length && !done) {
            if (inTail) {
                i = takeTail(bytes, i);
            } else if (matched == 0) {
                int start = indexOf(bytes, token[0], i);
                int end = start < 0 ? bytes.length : start;
                emit(bytes, i, end);
                if (start < 0) {
                    return;
                }
                matched = 1;
                i = start + 1;
            } else if (bytes[i] == token[matched]) {
                matched++;
                i++;
                if (matched == token.length) {
                    inTail = true;
                }
            } else {
                // a false start: what looked like the token was output; the current byte is looked at afresh
                emit(token, 0, matched);
                matched = 0;
            }
        }
    }

    private int takeTail(byte[] bytes, int from) {
        int newline = indexOf(bytes, (byte) '\n', from);
        int end = newline < 0 ? bytes.length : newline;
        if (tail.size() + (end - from) > maxTail) {
            malformed = true;
            done = true;
            return bytes.length;
        }
        tail.write(bytes, from, end - from);
        if (newline >= 0) {
            done = true;
        }
        return end + 1;
    }

    private void emit(byte[] bytes, int from, int to) {
        if (to > from) {
            capture.accept(from == 0 && to == bytes.length ? bytes : Arrays.copyOfRange(bytes, from, to));
        }
    }

    private static int indexOf(byte[] bytes, byte wanted, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    /** Whether the marker's whole line arrived (or one too long to be the loop's). */
    boolean done() {
        return done;
    }

    /** The marker's line after the token; empty until it arrived, or when it was too long. */
    Optional<String> tail() {
        return done && !malformed ? Optional.of(tail.toString(StandardCharsets.UTF_8)) : Optional.empty();
    }

    /** The exec's output on this stream, with the capture's truncation marker if it was cut. */
    String output() {
        return capture.finish();
    }
}
