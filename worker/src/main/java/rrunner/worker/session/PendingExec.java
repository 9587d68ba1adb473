package rrunner.worker.session;

import com.github.dockerjava.api.model.StreamType;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import rrunner.common.event.JobEventType;
import rrunner.worker.sandbox.OutputCapture;
import rrunner.worker.sandbox.OutputListener;

/**
 * One request sent to the live R, from the moment it is sent until both its end markers arrived: the frames of R's
 * exec are routed here (on docker-java's thread) and the exec's thread waits here for the end, R's death, a wake-up
 * from {@link SessionSandbox#interrupt()} or its deadline.
 */
final class PendingExec {

    /** What ended a wait. */
    enum Wait { ENDED, R_GONE, WOKEN, TIMED_OUT }

    // why: the loop lists at most 200 000 hex characters of paths; anything longer is not the loop's
    private static final int MAX_STDOUT_TAIL = 256 * 1024;
    private static final int MAX_STDERR_TAIL = 64;

    private final MarkerCut stdout;
    private final MarkerCut stderr;
    private boolean rGone;
    private boolean woken;

    PendingExec(String nonce, long outputCap, OutputListener listener) {
        String token = LiveR.MARKER + nonce + " ";
        this.stdout = new MarkerCut(token,
                new OutputCapture(outputCap, chunk -> listener.onOutput(JobEventType.STDOUT, chunk)), MAX_STDOUT_TAIL);
        this.stderr = new MarkerCut(token,
                new OutputCapture(outputCap, chunk -> listener.onOutput(JobEventType.STDERR, chunk)), MAX_STDERR_TAIL);
    }

    synchronized void accept(StreamType stream, byte[] payload) {
        switch (stream) {
            case STDOUT, RAW -> stdout.accept(payload);
            case STDERR -> stderr.accept(payload);
            default -> { }
        }
        if (ended()) {
            notifyAll();
        }
    }

    /** R's exec stream ended: R exited, or its container went away. */
    synchronized void rGone() {
        rGone = true;
        notifyAll();
    }

    /** Ends the current (or next) wait early, for an interrupt to be sent. */
    synchronized void wake() {
        woken = true;
        notifyAll();
    }

    /** Waits until the exec ended, R is gone, {@link #wake} was called, or {@code deadlineNanos} (of nanoTime) passed. */
    synchronized Wait await(long deadlineNanos) throws InterruptedException {
        while (true) {
            if (ended()) {
                return Wait.ENDED;
            }
            if (rGone) {
                return Wait.R_GONE;
            }
            if (woken) {
                woken = false;
                return Wait.WOKEN;
            }
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return Wait.TIMED_OUT;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    private boolean ended() {
        return stdout.done() && stderr.done();
    }

    /** What the loop said at the end; empty before both markers arrived or when they are malformed. */
    synchronized Optional<EndMarker> end() {
        if (!ended()) {
            return Optional.empty();
        }
        return stdout.tail().flatMap(out -> stderr.tail().flatMap(err -> EndMarker.parse(out, err)));
    }

    synchronized String stdout() {
        return stdout.output();
    }

    synchronized String stderr() {
        return stderr.output();
    }
}
