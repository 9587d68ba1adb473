package rrunner.worker.session;

import rrunner.common.session.SessionFile;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import rrunner.common.environment.Environment;
import rrunner.common.job.Limits;
import rrunner.common.job.ResultBudget;
import rrunner.common.job.RunResult;
import rrunner.worker.sandbox.ArtifactArchive;
import rrunner.worker.sandbox.ContainerFactory;
import rrunner.worker.sandbox.ContainerRunner;
import rrunner.worker.sandbox.OutputListener;
import rrunner.worker.sandbox.SandboxLabels;
import rrunner.worker.sandbox.SandboxOwner;
import rrunner.worker.sandbox.SandboxProperties;
import rrunner.worker.sandbox.SandboxUnavailableException;
import rrunner.worker.sandbox.ScriptExec;
import rrunner.worker.session.ExecOutcome.Ending;

/**
 * One session's container with a live R process waiting for scripts: confined as a one-shot sandbox is
 * ({@link ContainerFactory}), labelled as the session's ({@link SandboxLabels#forSession}), with R started once
 * ({@link LiveR}). Each exec runs in the same R, in its global environment. Thread-safe: execs run one at a time,
 * {@link #interrupt()} may come from any thread, and the file methods may run beside an exec.
 *
 * <p>A timeout or {@link #interrupt()} sends R SIGINT; the loop catches the interrupt, so the exec ends and the
 * session's objects stay. R that does not answer within {@link #INTERRUPT_GRACE} (stuck in C code that never checks
 * for interrupts) is killed with its container, and the exec ends {@link Ending#LOST}. An interrupt that arrives just
 * as its script ended stays pending in R; it is drained at once with a short sleep R can be interrupted in, so it
 * never lands in the next exec.
 */
public final class SessionSandbox implements AutoCloseable {

    /**
     * Exit code of an interrupted exec: 128 + SIGINT, as a shell shows it. Not {@link ContainerRunner#KILLED_EXIT_CODE}:
     * nothing was killed, and R goes on.
     */
    public static final int INTERRUPTED_EXIT_CODE = 130;

    /** How long R has to answer an interrupt before its container is killed. */
    public static final Duration INTERRUPT_GRACE = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(SessionSandbox.class);
    // why this long: R starts in a quarter of a second, but under gVisor on a loaded machine in several
    private static final Duration READY_WAIT = Duration.ofSeconds(60);
    private static final Duration SIGNAL_TIMEOUT = Duration.ofSeconds(5);
    /** A sleep R checks for interrupts in: a pending one ends it at once, and without one it costs 50 ms. */
    private static final String DRAIN = "Sys.sleep(0.05)";

    private final String containerId;
    private final String imageId;
    private final Limits limits;
    private final ContainerFactory containers;
    private final DockerClient docker;
    private final ScriptExec exits;
    private final LiveR r;
    private final SandboxCommand command;
    private final SessionWorkspace workspace;
    private final ReentrantLock execs = new ReentrantLock();
    private final AtomicBoolean closed = new AtomicBoolean();
    private String pid;
    private PendingExec running;
    private boolean cancelRequested;
    private volatile String lostReason;

    private SessionSandbox(DockerClient docker, SandboxProperties settings, String containerId, String imageId,
            Limits limits, LiveR r) {
        this.docker = docker;
        this.containerId = containerId;
        this.imageId = imageId;
        this.limits = limits;
        this.containers = new ContainerFactory(docker, settings);
        this.exits = new ScriptExec(docker, settings);
        this.r = r;
        this.command = new SandboxCommand(docker, settings, containerId);
        this.workspace = new SessionWorkspace(command, settings);
    }

    /**
     * Creates and starts the session's container from {@code environment}'s image under the one-shot sandbox policy
     * and {@code limits}' memory and CPUs, starts R in it and returns once R waits for scripts.
     *
     * @param endsAt the session's hard end, on the container's label for the reaper
     * @throws SandboxUnavailableException the sandbox could not be made ready; nothing of it is left
     */
    public static SessionSandbox open(DockerClient docker, SandboxProperties settings, Environment environment,
            Limits limits, String sessionId, Instant endsAt, SandboxOwner owner) throws InterruptedException {
        String imageId = imageIdOf(docker, environment.image());
        ContainerFactory containers = new ContainerFactory(docker, settings);
        String containerId = containers.create(
                SandboxLabels.forSession(sessionId, endsAt, owner, Clock.systemUTC().instant()), imageId, limits);
        LiveR r = null;
        try {
            containers.start(containerId);
            r = LiveR.start(docker, settings, containerId);
            SessionSandbox sandbox = new SessionSandbox(docker, settings, containerId, imageId, limits, r);
            sandbox.awaitReady();
            return sandbox;
        } catch (RuntimeException | InterruptedException e) {
            if (r != null) {
                r.close();
            }
            containers.remove(containerId);
            throw e;
        }
    }

    public String containerId() {
        return containerId;
    }

    /** The id ({@code sha256:...}) of the image the container runs, for the results' provenance. */
    public String imageId() {
        return imageId;
    }

    /**
     * Runs {@code script} in the live R and returns when it ended, or once it was interrupted because
     * {@code timeout} ran out or {@link #interrupt()} was called. Its output streams to {@code listener} as it
     * arrives, each stream capped as a one-shot run's is. The result lists the files this exec created or changed.
     */
    public ExecOutcome exec(String script, Duration timeout, ResultLimits resultLimits, OutputListener listener)
            throws InterruptedException {
        execs.lock();
        try {
            if (lostReason != null || closed.get()) {
                String reason = closed.get() ? "the session was closed" : lostReason;
                return new ExecOutcome(Ending.LOST, RunResult.ofScript(RunResult.NO_EXIT_CODE, "", "", List.of()),
                        reason);
            }
            PendingExec pending;
            synchronized (this) {
                pending = r.send(script, listener);
                running = pending;
                cancelRequested = false;
            }
            try {
                return await(pending, timeout, resultLimits);
            } catch (InterruptedException e) {
                lose("the worker stopped waiting for the exec");
                throw e;
            } finally {
                synchronized (this) {
                    running = null;
                }
            }
        } finally {
            execs.unlock();
        }
    }

    /**
     * Interrupts the exec now running, if any, as a timeout would; it then ends {@link Ending#CANCELLED} with the
     * session's objects intact.
     *
     * @return false when no exec was running
     */
    public synchronized boolean interrupt() {
        if (running == null) {
            return false;
        }
        cancelRequested = true;
        running.wake();
        return true;
    }

    /** False once R or its container is gone, or the session was closed. */
    public boolean alive() {
        return lostReason == null && !closed.get() && !r.ended();
    }

    /** What the workspace's files occupy: allocated blocks, so a sparse file counts for what it really holds. */
    public long workspaceBytes() throws InterruptedException {
        return workspace.allocatedBytes();
    }

    /**
     * Writes a file into the workspace as the sandbox user, parents created, replacing what was there.
     *
     * @throws IllegalArgumentException the path is not a relative path inside the workspace, leads out of it
     *     through a symlink, or names a directory
     * @throws WorkspaceFullException the workspace has no room for it; nothing of it is left
     */
    public void putFile(String path, byte[] content) throws InterruptedException {
        workspace.put(path, content);
    }

    /**
     * A workspace file's content; empty when it is missing, not a regular file, or leads out of the workspace.
     *
     * @throws FileTooLargeException it holds more than {@code maxBytes}
     */
    public Optional<byte[]> readFile(String path, long maxBytes) throws InterruptedException {
        return workspace.read(path, maxBytes);
    }

    /** The workspace's regular files and directories; symlinks are neither listed nor followed. */
    public List<SessionFile> listFiles() throws InterruptedException {
        return workspace.list();
    }

    /** Deletes a file, symlink or directory (with its content); false when there was nothing to delete. */
    public boolean deleteFile(String path) throws InterruptedException {
        return workspace.delete(path);
    }

    /**
     * Saves what can move to another worker (see {@link SessionSnapshot}) as one archive; the session goes on here
     * until it is closed.
     *
     * @throws SessionNotMovableException R could not save it, or it is over {@code maxBytes}
     */
    public byte[] snapshot(long maxBytes) throws InterruptedException {
        return SessionSnapshot.take(this, command, maxBytes);
    }

    /**
     * Puts back into this fresh sandbox what {@link #snapshot} saved on another.
     *
     * @throws SessionNotMovableException it could not be restored
     */
    public void restore(byte[] snapshot) throws InterruptedException {
        SessionSnapshot.restore(this, command, snapshot);
    }

    /** Kills and removes the container with its workspace; idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            r.close();
            containers.remove(containerId);
        }
    }

    private void awaitReady() throws InterruptedException {
        PendingExec hello = r.send("cat(Sys.getpid())", OutputListener.IGNORE);
        PendingExec.Wait wait = awaitIgnoringWakes(hello, System.nanoTime() + READY_WAIT.toNanos());
        String said = hello.stdout();
        if (wait != PendingExec.Wait.ENDED || hello.end().isEmpty() || !said.matches("\\d{1,9}")) {
            throw new SandboxUnavailableException("R did not get ready in the session container ("
                    + (wait == PendingExec.Wait.ENDED ? "it answered " + said : wait) + "): "
                    + hello.stderr().strip());
        }
        pid = said;
    }

    private ExecOutcome await(PendingExec pending, Duration timeout, ResultLimits resultLimits)
            throws InterruptedException {
        PendingExec.Wait wait = pending.await(System.nanoTime() + timeout.toNanos());
        boolean signalled = false;
        if (wait == PendingExec.Wait.WOKEN || wait == PendingExec.Wait.TIMED_OUT) {
            signalled = signalInterrupt();
            wait = awaitIgnoringWakes(pending, System.nanoTime() + INTERRUPT_GRACE.toNanos());
        }
        return switch (wait) {
            case ENDED -> ended(pending, signalled, timeout, resultLimits);
            case R_GONE -> lost(pending, deathOfR());
            default -> lost(pending, "R did not respond to the interrupt within " + INTERRUPT_GRACE.toSeconds()
                    + " s");
        };
    }

    private ExecOutcome ended(PendingExec pending, boolean signalled, Duration timeout, ResultLimits resultLimits)
            throws InterruptedException {
        Optional<EndMarker> marker = pending.end();
        if (marker.isEmpty()) {
            return lost(pending, "the session loop's end marker was malformed");
        }
        EndMarker end = marker.get();
        if (signalled && end.status() != EndMarker.Status.INTERRUPTED) {
            drainInterrupt();
        }
        boolean cancelled;
        synchronized (this) {
            cancelled = cancelRequested;
        }
        Ending ending = Ending.COMPLETED;
        String reason = "";
        if (end.status() == EndMarker.Status.INTERRUPTED && cancelled) {
            ending = Ending.CANCELLED;
            reason = "interrupted on request";
        } else if (end.status() == EndMarker.Status.INTERRUPTED && signalled) {
            ending = Ending.TIMED_OUT;
            reason = "interrupted after the " + timeout.toSeconds() + " s timeout";
        }
        int exitCode = switch (end.status()) {
            case OK -> 0;
            case ERROR -> 1;
            case INTERRUPTED -> INTERRUPTED_EXIT_CODE;
        };
        ArtifactArchive.Contents files = workspace.changed(end, resultLimits);
        RunResult result = ResultBudget.fit(exitCode, pending.stdout(), pending.stderr(), files.artifacts(),
                files.listing(), resultLimits.maxResultBytes());
        return new ExecOutcome(ending, result, reason);
    }

    /** Sends R SIGINT from inside the sandbox, as its own user; false if that failed (R is likely gone). */
    private boolean signalInterrupt() throws InterruptedException {
        SandboxCommand.Result kill = command.run(SIGNAL_TIMEOUT, 0, null, "sh", "-c", "kill -INT \"$1\"", "sh", pid);
        if (!kill.succeeded()) {
            log.debug("interrupting R in {} failed: {} {}", containerId, kill.exitCode(), kill.stderr());
        }
        return kill.succeeded();
    }

    /** Takes an interrupt R got only after its script ended out of R before the next exec; see the class comment. */
    private void drainInterrupt() throws InterruptedException {
        PendingExec drain = r.send(DRAIN, OutputListener.IGNORE);
        PendingExec.Wait wait = awaitIgnoringWakes(drain, System.nanoTime() + INTERRUPT_GRACE.toNanos());
        if (wait != PendingExec.Wait.ENDED) {
            lose(wait == PendingExec.Wait.R_GONE ? deathOfR() : "R did not take a late interrupt within "
                    + INTERRUPT_GRACE.toSeconds() + " s");
        }
    }

    private static PendingExec.Wait awaitIgnoringWakes(PendingExec pending, long deadlineNanos)
            throws InterruptedException {
        PendingExec.Wait wait;
        do {
            wait = pending.await(deadlineNanos);
        } while (wait == PendingExec.Wait.WOKEN);
        return wait;
    }

    private ExecOutcome lost(PendingExec pending, String reason) {
        lose(reason);
        Integer exitCode = r.ended() ? exits.exitCode(r.execId()) : null;
        RunResult result = RunResult.ofScript(exitCode == null ? ContainerRunner.KILLED_EXIT_CODE : exitCode,
                pending.stdout(), pending.stderr(), List.of());
        return new ExecOutcome(Ending.LOST, result, reason);
    }

    /** Marks the session lost and kills its container: whatever is left in it can't serve the session any more. */
    private void lose(String reason) {
        if (lostReason == null) {
            lostReason = reason;
            log.info("session container {} lost: {}", containerId, reason);
        }
        containers.kill(containerId);
    }

    /** Why R's exec ended, in the caller's words. */
    private String deathOfR() {
        Integer exitCode = exits.exitCode(r.execId());
        boolean oomKilled;
        try {
            InspectContainerResponse.ContainerState state = docker.inspectContainerCmd(containerId).exec().getState();
            oomKilled = Boolean.TRUE.equals(state.getOOMKilled());
        } catch (NotFoundException e) {
            return "the session's container is gone";
        }
        String memory = "the session's " + limits.memoryMb() + " MB memory limit";
        if (oomKilled) {
            return "out of memory: R was killed at " + memory;
        }
        if (exitCode == null) {
            return "R's process ended without an exit status";
        }
        if (exitCode == ContainerRunner.KILLED_EXIT_CODE) {
            return "R was killed (SIGKILL), most likely for running out of memory at " + memory;
        }
        if (exitCode > 128) {
            return "R was killed by signal " + (exitCode - 128);
        }
        return "R exited with status " + exitCode;
    }

    private static String imageIdOf(DockerClient docker, String image) {
        try {
            return docker.inspectImageCmd(image).exec().getId();
        } catch (NotFoundException e) {
            throw new SandboxUnavailableException("image " + image + " not found", e);
        } catch (RuntimeException e) {
            throw SandboxUnavailableException.of("inspecting image " + image, e);
        }
    }
}
