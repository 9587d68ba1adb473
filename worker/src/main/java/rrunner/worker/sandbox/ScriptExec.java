package rrunner.worker.sandbox;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectExecResponse;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs an R script inside a started sandbox container through {@code docker exec}, streaming its output.
 *
 * <p>The script goes in on stdin behind a length line, and a shell passes exactly that many bytes into a pipe
 * that R reads its program from ({@code --file=/dev/fd/3}) while R's own stdin is {@code /dev/null}. Why each
 * part: closing an attached stdin never reaches the container through docker-java's HttpClient 5 transport
 * (docker-java issue 1448), so nothing may wait for that EOF; {@code head} closes the pipe instead. Reading the
 * program through {@code --file} behaves as {@code Rscript file.R} does (an error prints "Execution halted" and
 * exits 1, {@code quit(status = n)} exits n, warnings print per top-level call), a script that reads stdin reads
 * nothing rather than its own source, nothing is written into the sandbox, and R starts loading before the
 * script arrives, so a sandbox can be prepared ahead of time.
 */
public final class ScriptExec {

    static final String[] R_FROM_STDIN = {
        "sh", "-c", "{ read -r n; head -c \"$n\"; } | exec R --no-echo --no-restore --no-save --file=/dev/fd/3 "
                + "3<&0 </dev/null"};

    private static final Duration EXIT_CODE_WAIT = Duration.ofSeconds(3);

    private final DockerClient docker;
    private final SandboxProperties settings;

    public ScriptExec(DockerClient docker, SandboxProperties settings) {
        this.docker = docker;
        this.settings = settings;
    }

    /**
     * What came of one exec.
     *
     * @param finished false when {@code timeout} ran out first; the caller must then kill the container
     * @param streamError why the output stream broke, null when it ended normally
     */
    public record Run(String execId, boolean finished, String stdout, String stderr, Throwable streamError) {
    }

    /**
     * Starts R in the container, waiting for its script: R loads while nothing has been sent, so the script can be
     * handed over later ({@link AttachedExec#run}) without R's start-up in its path. The caller must close the handle.
     */
    public AttachedExec attach(String containerId) {
        return AttachedExec.start(docker, create(containerId), settings.maxOutputBytes().toBytes());
    }

    /** Blocks until the script's output ends or {@code timeout} runs out; the script keeps running after a timeout. */
    public Run run(String containerId, String script, Duration timeout, OutputListener listener)
            throws InterruptedException {
        try (AttachedExec attached = attach(containerId)) {
            return attached.run(script, timeout, listener);
        }
    }

    /**
     * The exit code of a finished exec. Docker can end the output stream a moment before it records the exit,
     * so this waits briefly for it; null if it never showed.
     */
    public Integer exitCode(String execId) {
        long deadline = System.nanoTime() + EXIT_CODE_WAIT.toNanos();
        while (true) {
            InspectExecResponse exec = docker.inspectExecCmd(execId).exec();
            if (!Boolean.TRUE.equals(exec.isRunning()) && exec.getExitCodeLong() != null) {
                return exec.getExitCodeLong().intValue();
            }
            if (System.nanoTime() > deadline) {
                return null;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    private String create(String containerId) {
        try {
            return docker.execCreateCmd(containerId)
                    .withUser(settings.user())
                    .withWorkingDir(ContainerFactory.WORKSPACE)
                    .withEnv(ContainerFactory.ENV)
                    .withAttachStdin(true)
                    .withAttachStdout(true)
                    .withAttachStderr(true)
                    .withTty(false)
                    .withCmd(R_FROM_STDIN)
                    .exec().getId();
        } catch (RuntimeException e) {
            throw SandboxUnavailableException.of("starting R in the container", e);
        }
    }

    static byte[] stdinFor(String script) {
        byte[] source = script.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream stdin = new ByteArrayOutputStream(source.length + 12);
        stdin.writeBytes((source.length + "\n").getBytes(StandardCharsets.US_ASCII));
        stdin.writeBytes(source);
        return stdin.toByteArray();
    }
}
