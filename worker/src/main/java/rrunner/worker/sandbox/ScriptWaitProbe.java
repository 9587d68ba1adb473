package rrunner.worker.sandbox;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.TopContainerResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells when R in a prepared sandbox has finished starting: it then sleeps reading its program from the pipe, which
 * {@code ps} on the Docker host shows as state {@code S} waiting in a pipe read ({@code pipe_read},
 * {@code anon_pipe_read}, {@code pipe_wait}, by kernel). Asked through Docker's top API, so the worker needs neither
 * the host's {@code /proc} nor a process in the sandbox. Without that, a sandbox taken the moment it was started
 * would make its job wait for R's start-up, the very wait the pool exists to hide.
 *
 * <p>Where the runtime can't say (gVisor answers top without these columns), the sandbox counts as ready: the
 * script then merely waits for R, as on a cold start.
 */
final class ScriptWaitProbe {

    private static final Logger log = LoggerFactory.getLogger(ScriptWaitProbe.class);
    private static final String PS_ARGS = "-o pid,stat,wchan:32,args";
    private static final String KEEPER_SLEEP = "sleep 86400";
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final DockerClient docker;
    private final AtomicBoolean toldBlind = new AtomicBoolean();

    ScriptWaitProbe(DockerClient docker) {
        this.docker = docker;
    }

    /** Returns once R waits for its script, or once {@code max} passed or the answer can't be known. */
    void awaitWaiting(String containerId, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (!waiting(containerId)) {
            if (System.nanoTime() > deadline) {
                log.debug("R in {} did not show as waiting within {}; handing it out anyway", containerId, max);
                return;
            }
            LockSupport.parkNanos(POLL_NANOS);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    private boolean blind(String why) {
        if (toldBlind.compareAndSet(false, true)) {
            log.info("can't see when R in a prepared sandbox has loaded ({}); sandboxes are handed out once started",
                    why);
        }
        return true;
    }

    /** True when R blocks reading the pipe, or when top can't tell. */
    boolean waiting(String containerId) {
        TopContainerResponse top;
        try {
            top = docker.topContainerCmd(containerId).withPsArgs(PS_ARGS).exec();
        } catch (RuntimeException e) {
            return blind(SandboxUnavailableException.describe(e));
        }
        List<String> titles = top.getTitles() == null ? List.of() : Arrays.asList(top.getTitles());
        int stat = titles.indexOf("STAT");
        int wchan = titles.indexOf("WCHAN");
        int args = titles.indexOf("COMMAND");
        if (stat < 0 || wchan < 0 || args < 0 || top.getProcesses() == null) {
            return blind("top has no STAT, WCHAN and COMMAND columns");
        }
        int width = Math.max(stat, Math.max(wchan, args));
        List<String[]> rows = Arrays.stream(top.getProcesses()).filter(row -> row.length > width).toList();
        // why: a runtime with a kernel of its own (gVisor) shows Docker none of the sandbox's processes, not even
        // the keeper that runs from the start; there is nothing to wait for then
        if (rows.stream().noneMatch(row -> row[args].contains(KEEPER_SLEEP))) {
            return blind("the runtime does not show the sandbox's processes to top");
        }
        return rows.stream()
                .filter(row -> row[args].contains("exec/R ") && row[args].contains("--file=/dev/fd/3"))
                .anyMatch(row -> row[stat].startsWith("S") && row[wchan].contains("pipe"));
    }
}
