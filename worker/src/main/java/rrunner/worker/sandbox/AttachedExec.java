package rrunner.worker.sandbox;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import rrunner.common.event.JobEventType;

/**
 * A started exec whose shell waits for the script's length line. Output that arrives before a job is bound is
 * kept for it; closing ends the stdin feed and the output stream, whether or not a script was ever sent.
 */
public final class AttachedExec implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AttachedExec.class);

    private final String execId;
    private final ScriptFeed feed = new ScriptFeed();
    private final LateOutput output = new LateOutput();
    private final OutputCapture stdout;
    private final OutputCapture stderr;
    private final FrameSink frames;

    /** Starts the created exec {@code execId} with its stdin held back; its output is kept up to {@code cap} each. */
    static AttachedExec start(DockerClient docker, String execId, long cap) {
        AttachedExec attached = new AttachedExec(execId, cap);
        try {
            docker.execStartCmd(execId).withDetach(false).withTty(false).withStdIn(attached.feed)
                    .exec(attached.frames);
        } catch (RuntimeException e) {
            attached.close();
            throw SandboxUnavailableException.of("attaching to R in the container", e);
        }
        return attached;
    }

    private AttachedExec(String execId, long cap) {
        this.execId = execId;
        this.stdout = new OutputCapture(cap, chunk -> output.onOutput(JobEventType.STDOUT, chunk));
        this.stderr = new OutputCapture(cap, chunk -> output.onOutput(JobEventType.STDERR, chunk));
        this.frames = new FrameSink(stdout, stderr);
    }

    /**
     * Sends the script and blocks until its output ends or {@code timeout}, counted from now, runs out; the
     * script keeps running after a timeout. Once per handle.
     */
    public ScriptExec.Run run(String script, Duration timeout, OutputListener listener) throws InterruptedException {
        output.bind(listener);
        feed.send(ScriptExec.stdinFor(script));
        boolean finished = frames.await(timeout);
        return new ScriptExec.Run(execId, finished, stdout.finish(), stderr.finish(), frames.error);
    }

    /** False once the exec's output ended: R exited or its container went away before any script was sent. */
    public boolean alive() {
        return !frames.ended();
    }

    /** Waits until Docker answered the exec's start, so R has begun loading; false if it did not in time. */
    public boolean awaitStarted(Duration timeout) throws InterruptedException {
        return frames.awaitStarted(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        feed.close();
        try {
            frames.close();
        } catch (IOException e) {
            log.debug("closing the exec stream failed", e);
        }
    }

    /** Routes frames to the captures; an error ends the stream quietly, as a kill on timeout or cancel does. */
    private static final class FrameSink extends ResultCallback.Adapter<Frame> {

        private final OutputCapture stdout;
        private final OutputCapture stderr;
        private volatile Throwable error;
        private volatile boolean ended;

        FrameSink(OutputCapture stdout, OutputCapture stderr) {
            this.stdout = stdout;
            this.stderr = stderr;
        }

        @Override
        public void onNext(Frame frame) {
            switch (frame.getStreamType()) {
                case STDOUT, RAW -> stdout.accept(frame.getPayload());
                case STDERR -> stderr.accept(frame.getPayload());
                default -> { }
            }
        }

        @Override
        public void onError(Throwable throwable) {
            ended = true;
            error = throwable;
            try {
                close();
            } catch (IOException e) {
                log.debug("closing the exec stream after an error failed", e);
            }
        }

        /** Whether the stream ended by itself; polled without {@code awaitCompletion}, which closes it on timeout. */
        boolean ended() {
            return ended;
        }

        @Override
        public void onComplete() {
            ended = true;
            super.onComplete();
        }

        boolean await(Duration timeout) throws InterruptedException {
            try {
                return awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RuntimeException e) {
                error = e;
                return true;
            }
        }
    }
}
