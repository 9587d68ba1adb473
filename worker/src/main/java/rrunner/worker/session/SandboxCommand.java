package rrunner.worker.session;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.ExecCreateCmd;
import com.github.dockerjava.api.command.ExecStartCmd;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import rrunner.worker.sandbox.ContainerFactory;
import rrunner.worker.sandbox.SandboxProperties;
import rrunner.worker.sandbox.SandboxUnavailableException;
import rrunner.worker.sandbox.ScriptExec;

/**
 * Runs a short command in a session's container as the sandbox user, the way a script's own {@code system()} call
 * would: whatever it touches, it touches with the sandbox's rights and inside its confinement, never Docker's. So
 * files a script planted (a symlink to {@code /}, a FIFO) can only lead it where the script could go itself.
 *
 * <p>Every command runs under {@code timeout -s KILL}, so one that hangs ends inside the container too; its output
 * is kept up to a cap and the rest only drained.
 */
final class SandboxCommand {

    /** What a finished command left. {@code exitCode} is null if it did not end in time. */
    record Result(Integer exitCode, byte[] stdout, boolean cut, String stderr) {

        boolean succeeded() {
            return exitCode != null && exitCode == 0;
        }

        String stdoutText() {
            return new String(stdout, StandardCharsets.UTF_8);
        }
    }

    private static final Logger log = LoggerFactory.getLogger(SandboxCommand.class);
    private static final int MAX_STDERR = 4096;
    // why a margin: the command's own timeout kills it; the stream then still has to end and be read
    private static final Duration STREAM_MARGIN = Duration.ofSeconds(5);

    private final DockerClient docker;
    private final SandboxProperties settings;
    private final String containerId;
    private final ScriptExec exits;

    SandboxCommand(DockerClient docker, SandboxProperties settings, String containerId) {
        this.docker = docker;
        this.settings = settings;
        this.containerId = containerId;
        this.exits = new ScriptExec(docker, settings);
    }

    /**
     * Runs {@code argv} in the workspace and waits for it, at most {@code timeout}.
     *
     * @param stdin bytes the command reads, or null for none; the command must read exactly as many (as
     *     {@code head -c} does), since it never sees the end of its stdin (docker-java issue 1448)
     * @param maxStdout stdout beyond this is drained, not kept, and the result says it was cut
     */
    Result run(Duration timeout, long maxStdout, byte[] stdin, String... argv) throws InterruptedException {
        String execId = create(timeout, stdin != null, argv);
        Collected collected = new Collected(maxStdout);
        ExecStartCmd start = docker.execStartCmd(execId).withDetach(false).withTty(false);
        if (stdin != null) {
            start.withStdIn(new ByteArrayInputStream(stdin));
        }
        try (Collected callback = start.exec(collected)) {
            if (!callback.awaitCompletion(timeout.plus(STREAM_MARGIN).toMillis(), TimeUnit.MILLISECONDS)) {
                return new Result(null, callback.stdout(), callback.cut, callback.stderr());
            }
            return new Result(exits.exitCode(execId), callback.stdout(), callback.cut, callback.stderr());
        } catch (IOException e) {
            log.debug("closing a command's stream failed", e);
            return new Result(null, collected.stdout(), collected.cut, collected.stderr());
        } catch (RuntimeException e) {
            throw SandboxUnavailableException.of("running " + argv[0] + " in the session container", e);
        }
    }

    /**
     * Starts {@code argv} and hands its stdout over as a stream, for a reader that bounds what it takes; closing the
     * stream ends the exec's stream, which ends the command at its next write.
     */
    FrameStream stream(Duration timeout, String... argv) {
        String execId = create(timeout, false, argv);
        FrameStream stream = new FrameStream(timeout.plus(STREAM_MARGIN));
        try {
            docker.execStartCmd(execId).withDetach(false).withTty(false).exec(stream.callback());
        } catch (RuntimeException e) {
            stream.close();
            throw SandboxUnavailableException.of("running " + argv[0] + " in the session container", e);
        }
        return stream;
    }

    private String create(Duration timeout, boolean withStdin, String... argv) {
        List<String> command = new ArrayList<>(List.of("timeout", "-s", "KILL",
                Long.toString(Math.max(1, timeout.toSeconds()))));
        command.addAll(List.of(argv));
        try {
            ExecCreateCmd create = docker.execCreateCmd(containerId)
                    .withUser(settings.user())
                    .withWorkingDir(ContainerFactory.WORKSPACE)
                    .withEnv(ContainerFactory.ENV)
                    .withAttachStdin(withStdin)
                    .withAttachStdout(true)
                    .withAttachStderr(true)
                    .withTty(false)
                    .withCmd(command.toArray(String[]::new));
            return create.exec().getId();
        } catch (RuntimeException e) {
            throw SandboxUnavailableException.of("running " + argv[0] + " in the session container", e);
        }
    }

    /** Keeps stdout up to a cap and stderr up to {@link #MAX_STDERR}; drains the rest. */
    private static final class Collected extends ResultCallback.Adapter<Frame> {

        private final long maxStdout;
        private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        private volatile boolean cut;

        Collected(long maxStdout) {
            this.maxStdout = maxStdout;
        }

        @Override
        public synchronized void onNext(Frame frame) {
            byte[] payload = frame.getPayload();
            if (frame.getStreamType() == StreamType.STDERR) {
                stderr.write(payload, 0, (int) Math.min(payload.length, MAX_STDERR - stderr.size()));
                return;
            }
            long room = maxStdout - stdout.size();
            if (payload.length > room) {
                cut = true;
            }
            stdout.write(payload, 0, (int) Math.max(0, Math.min(payload.length, room)));
        }

        synchronized byte[] stdout() {
            return stdout.toByteArray();
        }

        synchronized String stderr() {
            return stderr.toString(StandardCharsets.UTF_8).strip();
        }
    }
}
