package rrunner.worker.sandbox;

import com.github.dockerjava.api.DockerClient;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import rrunner.common.job.Artifact;
import rrunner.common.job.JobId;
import rrunner.common.job.JobSpec;
import rrunner.common.job.RunResult;
import rrunner.worker.sandbox.SandboxOutcome.Ending;

/**
 * Runs one job's script in a fresh sandbox container: create and start a keeper container, run R in it with the
 * script on stdin under a hard wall-clock limit, read the exit code, stop stray processes, read the workspace's
 * files, and remove the container and its workspace in every outcome. Blocking: call it on the worker's own
 * threads, never on Reactor's.
 */
public class ContainerRunner {

    /** Exit code reported when the container was killed (timeout or cancel): 128 + SIGKILL, as a shell shows it. */
    public static final int KILLED_EXIT_CODE = 137;

    // why: tar headers and padding on top of the file bytes the workspace size already bounds
    private static final long ARCHIVE_OVERHEAD_BYTES = 1 << 20;

    private final DockerClient docker;
    private final SandboxProperties settings;
    private final String workerId;
    private final ContainerFactory containers;
    private final ScriptExec exec;
    private final RunningJobs running = new RunningJobs();
    private final Clock clock = Clock.systemUTC();

    public ContainerRunner(DockerClient docker, SandboxProperties settings, String workerId) {
        this.docker = docker;
        this.settings = settings;
        this.workerId = workerId;
        this.containers = new ContainerFactory(docker, settings);
        this.exec = new ScriptExec(docker, settings);
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
            exec.killLeftovers(containerId);
            return RunResult.ofScript(exitCode, script.stdout(), script.stderr(), artifacts(containerId, spec));
        } catch (SandboxUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            throw SandboxUnavailableException.of("collecting the result", e);
        }
    }

    private List<Artifact> artifacts(String containerId, JobSpec spec) {
        if (spec.maxArtifactCount() == 0) {
            return List.of();
        }
        long readBudget = settings.workspaceSize().toBytes() + ARCHIVE_OVERHEAD_BYTES;
        try (InputStream tar = docker.copyArchiveFromContainerCmd(containerId, ContainerFactory.WORKSPACE + "/.")
                .exec()) {
            return ArtifactArchive.read(tar, spec.maxArtifactCount(), spec.maxArtifactBytes(), readBudget);
        } catch (IOException e) {
            throw new SandboxUnavailableException("reading the workspace failed: " + e.getMessage(), e);
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
