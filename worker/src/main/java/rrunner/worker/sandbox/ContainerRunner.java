package rrunner.worker.sandbox;

import com.github.dockerjava.api.DockerClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import rrunner.common.job.JobId;
import rrunner.common.job.JobSpec;
import rrunner.common.job.RunResult;
import rrunner.worker.sandbox.SandboxOutcome.Ending;

/**
 * Runs one job's script in a fresh sandbox container: create and start a keeper container, run R in it with the
 * script on stdin under a hard wall-clock limit, read the exit code, stop stray processes, read the workspace's
 * files, and remove the container and its workspace in every outcome. Blocking: call it on the worker's own
 * threads, never on Reactor's.
 *
 * <p>Nothing is ever written into a sandbox once user code has started: the script reaches the container on the
 * exec's stdin and passes through a pipe into R, leftovers are stopped by an exec of a shell builtin (or
 * by freezing the container), and artifacts leave through the archive API as a read. So no file the script
 * planted (a symlink, a FIFO, a file named like ours) can make the worker write to or follow anything.
 */
public class ContainerRunner {

    /** Exit code reported when the container was killed (timeout or cancel): 128 + SIGKILL, as a shell shows it. */
    public static final int KILLED_EXIT_CODE = 137;

    private final String workerId;
    private final ContainerFactory containers;
    private final ScriptExec exec;
    private final WorkspaceReader workspace;
    private final RunningJobs running = new RunningJobs();
    private final Clock clock = Clock.systemUTC();

    /** A runner whose metrics go nowhere (tools, tests that don't look at them). */
    public ContainerRunner(DockerClient docker, SandboxProperties settings, String workerId) {
        this(docker, settings, workerId, new SimpleMeterRegistry());
    }

    /** @param meters receives {@code rrunner.artifacts.skipped}, tagged by {@link SkippedEntry#tag() kind} */
    public ContainerRunner(DockerClient docker, SandboxProperties settings, String workerId, MeterRegistry meters) {
        this.workerId = workerId;
        this.containers = new ContainerFactory(docker, settings);
        this.exec = new ScriptExec(docker, settings);
        this.workspace = new WorkspaceReader(docker, containers, exec, settings, new ArtifactMetrics(meters));
    }

    /**
     * Blocks until the script ended, timed out or was cancelled.
     *
     * @throws SandboxUnavailableException the sandbox failed (not the script); the job deserves another attempt
     */
    public SandboxOutcome run(JobId jobId, JobSpec spec, OutputListener listener) {
        RunningJobs.Entry job = running.register(jobId);
        Phases phases = new Phases();
        String containerId = null;
        try {
            containerId = containers.create(SandboxLabels.forJob(jobId, workerId, clock.instant()));
            Ended ended = job.attach(containerId) ? Ended.killed(Ending.CANCELLED, null)
                    : runIn(containerId, job, spec, listener, phases);
            containers.remove(containerId);
            containerId = null;
            return phases.outcome(ended);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxUnavailableException("interrupted while the script ran", e);
        } catch (RuntimeException e) {
            if (job.cancelled()) {
                return phases.outcome(Ended.killed(Ending.CANCELLED, null));
            }
            throw e;
        } finally {
            running.unregister(jobId, job);
            if (containerId != null) {
                containers.remove(containerId);
            }
        }
    }

    /** Kills the job's container if this runner is running it; {@link #run} then ends {@link Ending#CANCELLED}. */
    public boolean cancel(JobId jobId) {
        RunningJobs.Entry job = running.cancel(jobId);
        if (job == null) {
            return false;
        }
        String containerId = job.containerId();
        if (containerId != null) {
            containers.kill(containerId);
        }
        return true;
    }

    /** Everything between a created container and its removal; on a timeout the caller's removal is the kill. */
    private Ended runIn(String containerId, RunningJobs.Entry job, JobSpec spec, OutputListener listener,
            Phases phases) throws InterruptedException {
        containers.start(containerId);
        phases.ready();
        ScriptExec.Run script = exec.run(containerId, spec.script(), Duration.ofSeconds(spec.timeoutSeconds()),
                listener);
        phases.scriptEnded();
        if (job.cancelled()) {
            return Ended.killed(Ending.CANCELLED, script);
        }
        if (!script.finished()) {
            return Ended.killed(Ending.TIMED_OUT, script);
        }
        return new Ended(collect(containerId, script, spec), Ending.COMPLETED);
    }

    private RunResult collect(String containerId, ScriptExec.Run script, JobSpec spec) {
        if (script.streamError() != null) {
            throw new SandboxUnavailableException(
                    "reading the script's output failed: " + SandboxUnavailableException.describe(script.streamError()),
                    script.streamError());
        }
        try {
            Integer exitCode = exec.exitCode(script.execId());
            if (exitCode == null) {
                throw new SandboxUnavailableException("the script's exit code never showed");
            }
            return RunResult.ofScript(exitCode, script.stdout(), script.stderr(), workspace.read(containerId, spec));
        } catch (SandboxUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            throw SandboxUnavailableException.of("collecting the result", e);
        }
    }

    /** How a run ended, before its container is removed. */
    private record Ended(RunResult result, Ending ending) {

        /** Killed runs keep the output captured until the kill, never artifacts. */
        static Ended killed(Ending ending, ScriptExec.Run script) {
            String stdout = script == null ? "" : script.stdout();
            String stderr = script == null ? "" : script.stderr();
            return new Ended(RunResult.ofScript(KILLED_EXIT_CODE, stdout, stderr, List.of()), ending);
        }
    }

    /** Times the phases of one run as it goes. */
    private static final class Phases {

        private final long start = System.nanoTime();
        private long ready;
        private long scriptEnded;

        void ready() {
            ready = System.nanoTime();
        }

        void scriptEnded() {
            scriptEnded = System.nanoTime();
        }

        SandboxOutcome outcome(Ended ended) {
            long now = System.nanoTime();
            long readyAt = ready == 0 ? now : ready;
            long scriptAt = scriptEnded == 0 ? readyAt : scriptEnded;
            return new SandboxOutcome(ended.result(), ended.ending(), Duration.ofNanos(readyAt - start),
                    Duration.ofNanos(scriptAt - readyAt), Duration.ofNanos(now - scriptAt));
        }
    }
}
