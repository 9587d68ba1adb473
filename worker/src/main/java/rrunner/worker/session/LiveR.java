package rrunner.worker.session;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import rrunner.worker.sandbox.ContainerFactory;
import rrunner.worker.sandbox.OutputListener;
import rrunner.worker.sandbox.SandboxProperties;
import rrunner.worker.sandbox.SandboxUnavailableException;

/**
 * The R process of a session: one {@code docker exec} of R as the sandbox user, started once and kept, running the
 * session loop ({@code session-loop.R}). Requests go in on the exec's stdin as a length line and the script's bytes
 * (see the loop's header); each one's output comes back until its end markers ({@link PendingExec}).
 *
 * <p>R reads its requests on fd 3, a copy of the exec's stdin, while its own stdin is {@code /dev/null}: a script
 * that reads stdin must not eat the requests after it. The loop arrives as the first request, read by a bootstrap on
 * R's command line; the bootstrap holds no space, tab, newline, backslash or glob character, since R's front-end
 * shell script splits and re-expands an {@code -e} argument.
 */
final class LiveR implements AutoCloseable {

    /** How each end marker starts; the request's nonce follows. */
    static final String MARKER = "\u001errunner-end ";

    static final String BOOTSTRAP = "local({input<-file(\"/dev/fd/3\",\"rb\",raw=TRUE);"
            + "n<-as.integer(readLines(input,1L));"
            + "eval(parse(text=rawToChar(readBin(input,\"raw\",n)),keep.source=FALSE),"
            + "new.env(parent=baseenv()))(input)})";

    static final String[] COMMAND = {
        "sh", "-c", "exec R --no-echo --no-restore --no-save -e \"$0\" 3<&0 </dev/null", BOOTSTRAP};

    private static final Logger log = LoggerFactory.getLogger(LiveR.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] LOOP = loopSource();

    private final String execId;
    private final long outputCap;
    private final RequestFeed feed = new RequestFeed();
    private final Frames frames = new Frames();

    private LiveR(String execId, long outputCap) {
        this.execId = execId;
        this.outputCap = outputCap;
    }

    /** Starts R with the session loop in a started container; the loop then waits for its first request. */
    static LiveR start(DockerClient docker, SandboxProperties settings, String containerId) {
        String execId;
        try {
            execId = docker.execCreateCmd(containerId)
                    .withUser(settings.user())
                    .withWorkingDir(ContainerFactory.WORKSPACE)
                    .withEnv(ContainerFactory.ENV)
                    .withAttachStdin(true)
                    .withAttachStdout(true)
                    .withAttachStderr(true)
                    .withTty(false)
                    .withCmd(COMMAND)
                    .exec().getId();
        } catch (RuntimeException e) {
            throw SandboxUnavailableException.of("starting R in the session container", e);
        }
        LiveR live = new LiveR(execId, settings.maxOutputBytes().toBytes());
        try {
            docker.execStartCmd(execId).withDetach(false).withTty(false).withStdIn(live.feed).exec(live.frames);
        } catch (RuntimeException e) {
            live.close();
            throw SandboxUnavailableException.of("attaching to R in the session container", e);
        }
        live.feed.send(framed(LOOP));
        return live;
    }

    String execId() {
        return execId;
    }

    /**
     * Sends {@code script} under a fresh nonce; its output, up to the settings' cap per stream, goes to
     * {@code listener} as it arrives. One request at a time: the caller waits for the returned exec's end first.
     */
    PendingExec send(String script, OutputListener listener) {
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        String hex = HexFormat.of().formatHex(nonce);
        PendingExec pending = new PendingExec(hex, outputCap, listener);
        frames.current = pending;
        if (frames.ended) {
            pending.rGone();
        }
        byte[] source = script.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream request = new ByteArrayOutputStream(source.length + 48);
        request.writeBytes((hex + " " + source.length + "\n").getBytes(StandardCharsets.US_ASCII));
        request.writeBytes(source);
        feed.send(request.toByteArray());
        return pending;
    }

    /** Whether R's exec stream ended: R exited or its container went away. */
    boolean ended() {
        return frames.ended;
    }

    @Override
    public void close() {
        feed.close();
        try {
            frames.close();
        } catch (IOException e) {
            log.debug("closing R's exec stream failed", e);
        }
    }

    private static byte[] framed(byte[] source) {
        ByteArrayOutputStream framed = new ByteArrayOutputStream(source.length + 12);
        framed.writeBytes((source.length + "\n").getBytes(StandardCharsets.US_ASCII));
        framed.writeBytes(source);
        return framed.toByteArray();
    }

    private static byte[] loopSource() {
        try (InputStream in = LiveR.class.getResourceAsStream("session-loop.R")) {
            if (in == null) {
                throw new IllegalStateException("session-loop.R is missing from the worker's classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading session-loop.R failed", e);
        }
    }

    /** Routes frames to the exec in flight; between execs, to the last one, which drops them after its marker. */
    private static final class Frames extends ResultCallback.Adapter<Frame> {

        private volatile PendingExec current;
        private volatile boolean ended;

        @Override
        public void onNext(Frame frame) {
            PendingExec exec = current;
            if (exec != null) {
                exec.accept(frame.getStreamType(), frame.getPayload());
            }
        }

        @Override
        public void onError(Throwable throwable) {
            log.debug("R's exec stream failed", throwable);
            gone();
            try {
                close();
            } catch (IOException e) {
                log.debug("closing R's exec stream after an error failed", e);
            }
        }

        @Override
        public void onComplete() {
            gone();
            super.onComplete();
        }

        private void gone() {
            ended = true;
            PendingExec exec = current;
            if (exec != null) {
                exec.rGone();
            }
        }
    }
}
