package rrunner.worker.sandbox;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.transport.DockerHttpClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import rrunner.common.environment.Environment;
import rrunner.common.environment.Environments;
import rrunner.common.job.InputFile;
import rrunner.common.job.JobId;
import rrunner.common.job.JobSpec;
import rrunner.common.job.ResultBudget;
import rrunner.common.job.RunResult;
import rrunner.worker.config.DockerClientConfiguration;
import rrunner.worker.sandbox.SandboxOutcome.Ending;

/**
 * Runs one job's script in a fresh sandbox container: create and start a keeper container, run R in it with the
 * script on stdin under a hard wall-clock limit, read the exit code, freeze stray processes, read the workspace's
 * files, and remove the container and its workspace in every outcome. Blocking: call it on the worker's own
 * threads, never on Reactor's.
 *
 * <p>A run first asks its {@link WarmSandboxes} for a sandbox prepared ahead of time (container started, R loaded
 * and waiting for its script) and starts one cold only when none is ready. From the moment a sandbox is ready
 * both paths run the same code: the script is sent, the timeout counts from then, and exit code, output,
 * artifacts, timeout, cancel and removal behave identically. A sandbox serves one job and is removed after it.
 *
 * <p>Nothing is ever written into a sandbox once user code has started: input files go into a fresh workspace no
 * script has touched, before the script is sent; the script reaches the container on the exec's stdin and passes through a pipe into R, leftovers are stopped by freezing the container, and artifacts
 * leave through the archive API as a read. So no file the script
 * planted (a symlink, a FIFO, a file named like ours) can make the worker write to or follow anything.
 */
public class ContainerRunner {

    /** Exit code reported when the container was killed (timeout or cancel): 128 + SIGKILL, as a shell shows it. */
    public static final int KILLED_EXIT_CODE = 137;

    private static final Logger log = LoggerFactory.getLogger(ContainerRunner.class);

    private final SandboxProperties settings;
    private final Environments environments;
    private final SandboxOwner owner;
    private final ContainerFactory containers;
    private final ScriptExec exec;
    private final WorkspaceReader workspace;
    private final WorkspaceStamps stamps;
    private final ArtifactMetrics artifactMetrics;
    private final WarmSandboxes warm;
    private final RunningJobs running = new RunningJobs();
    private final Clock clock = Clock.systemUTC();

    /** A runner whose metrics go nowhere (tools, tests that don't look at them) and that always starts cold. */
    public ContainerRunner(DockerClient docker, SandboxProperties settings, Environments environments,
            SandboxOwner owner) {
        this(docker, settings, environments, owner, new SimpleMeterRegistry());
    }

    /**
     * @param meters receives {@value ArtifactMetrics#SKIPPED}, tagged by {@link SkippedEntry#tag() kind}, and
     *     {@value ArtifactMetrics#COLLECTIONS}
     */
    public ContainerRunner(DockerClient docker, SandboxProperties settings, Environments environments,
            SandboxOwner owner, MeterRegistry meters) {
        this(docker, settings, environments, owner, meters, WarmSandboxes.NONE);
    }

    /** @param warm where prepared sandboxes come from; they must have been made with the same {@code settings} */
    public ContainerRunner(DockerClient docker, SandboxProperties settings, Environments environments,
            SandboxOwner owner, MeterRegistry meters, WarmSandboxes warm) {
        this(docker, DockerClientConfiguration.transportOf(docker), settings, environments, owner, meters, warm);
    }

    /**
     * @param transport {@code docker}'s own transport: the workspace archive is read on it directly, so a read cut
     *     short aborts instead of draining the rest of the stream
     * @param environments what a job that names no image id runs in ({@link #run(JobId, JobSpec, OutputListener)})
     */
    public ContainerRunner(DockerClient docker, DockerHttpClient transport, SandboxProperties settings,
            Environments environments, SandboxOwner owner, MeterRegistry meters, WarmSandboxes warm) {
        this.settings = settings;
        this.environments = environments;
        this.owner = owner;
        this.containers = new ContainerFactory(docker, settings);
        this.exec = new ScriptExec(docker, settings);
        this.artifactMetrics = new ArtifactMetrics(meters);
        this.workspace = new WorkspaceReader(transport, settings, artifactMetrics);
        this.stamps = new WorkspaceStamps(transport);
        this.warm = warm;
    }

    /** {@link #run(JobId, JobSpec, OutputListener, String)} in whichever image the warm sandboxes consider current. */
    public SandboxOutcome run(JobId jobId, JobSpec spec, OutputListener listener) {
        return run(jobId, spec, listener, (String) null);
    }

    /** {@link #run(JobId, JobSpec, OutputListener, String, Consumer)} for a caller with nothing to do first. */
    public SandboxOutcome run(JobId jobId, JobSpec spec, OutputListener listener, String imageId) {
        return run(jobId, spec, listener, imageId, outcome -> { });
    }

    /**
     * {@link #run(JobId, JobSpec, OutputListener, SandboxTarget, Consumer)} in the job's environment with the limits
     * it asked for.
     *
     * @param imageId id of the image the job must run in; null accepts whichever image the environment's warm
     *     sandboxes consider current, and a cold start then uses the environment's image name
     * @throws SandboxUnavailableException also when the job names an environment this runner does not serve
     */
    public SandboxOutcome run(JobId jobId, JobSpec spec, OutputListener listener, String imageId,
            Consumer<SandboxOutcome> beforeRemoval) {
        return run(jobId, spec, listener, SandboxTarget.of(environmentOf(spec), spec, imageId), beforeRemoval);
    }

    /**
     * The environment {@code spec} runs in.
     *
     * @throws SandboxUnavailableException it names one this worker does not serve: another worker may
     */
    public Environment environmentOf(JobSpec spec) {
        return environments.of(spec).orElseThrow(() -> new SandboxUnavailableException("environment "
                + spec.environment() + " is not served by worker " + owner.workerId() + ", which serves "
                + String.join(", ", environments.names())));
    }

    /**
     * Blocks until the script ended, timed out or was cancelled, and its container is removed. A prepared sandbox
     * is taken only from the target's environment and image; one made with other limits is resized first, and if
     * Docker refuses that, removed, and the job starts cold with its own limits. The job's input files are placed
     * in the workspace before the script is sent.
     *
     * @param target the environment, image (an id from {@code ImagePuller.ensure} pins it) and limits to run under
     * @param beforeRemoval given the outcome, once: for a completed script before its container is removed, since
     *     removal costs a tenth of a second or more and the caller can write the result first; a timed-out or
     *     cancelled one is removed (killed) first. If it throws, the container is still removed and the exception
     *     comes out of this method.
     * @throws SandboxUnavailableException the sandbox failed (not the script); the job deserves another attempt
     */
    public SandboxOutcome run(JobId jobId, JobSpec spec, OutputListener listener, SandboxTarget target,
            Consumer<SandboxOutcome> beforeRemoval) {
        RunningJobs.Entry job = running.register(jobId);
        RunPhases phases = new RunPhases();
        Sandbox sandbox = null;
        try {
            SandboxOutcome outcome;
            try {
                sandbox = acquire(jobId, target);
                Ended ended = Ended.killed(Ending.CANCELLED, null);
                if (!job.attach(sandbox.containerId)) {
                    sandbox.ready(spec.files());
                    phases.ready(sandbox.warm);
                    ended = runIn(sandbox, job, spec, target, listener, phases);
                }
                outcome = phases.outcome(ended.result(), ended.ending());
            } catch (RuntimeException e) {
                if (!job.cancelled()) {
                    throw e;
                }
                outcome = phases.outcome(Ended.killed(Ending.CANCELLED, null).result(), Ending.CANCELLED);
            }
            if (outcome.ending() != Ending.COMPLETED && sandbox != null) {
                // why first: a script past its time limit (or cancelled) must stop now, not once the result is out
                sandbox.remove();
            }
            beforeRemoval.accept(outcome);
            return outcome;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxUnavailableException("interrupted while the script ran", e);
        } finally {
            running.unregister(jobId, job);
            if (sandbox != null) {
                sandbox.remove();
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

    /** A warm sandbox with the target's limits if one is ready, else a newly created (not yet started) container. */
    private Sandbox acquire(JobId jobId, SandboxTarget target) {
        Optional<WarmSandbox> taken = warm.take(jobId, target).flatMap(sandbox -> resized(sandbox, target));
        if (taken.isPresent()) {
            return new Sandbox(taken.get().containerId(), taken.get().exec(), taken.get().workspaceStamp());
        }
        return new Sandbox(containers.create(SandboxLabels.forJob(jobId, owner, clock.instant()), target.imageOrId(),
                target.limits()), null, null);
    }

    /** The sandbox with the target's memory and CPUs; empty, and the sandbox removed, if Docker refused them. */
    private Optional<WarmSandbox> resized(WarmSandbox sandbox, SandboxTarget target) {
        if (ContainerFactory.sameResources(sandbox.limits(), target.limits())) {
            return Optional.of(sandbox);
        }
        try {
            containers.resize(sandbox.containerId(), target.limits());
            return Optional.of(sandbox);
        } catch (SandboxUnavailableException e) {
            log.warn("could not resize warm sandbox {} to {}, starting cold: {}", sandbox.containerId(),
                    target.limits(), e.getMessage());
            sandbox.exec().close();
            containers.remove(sandbox.containerId());
            return Optional.empty();
        }
    }

    /** Everything between a ready sandbox and its removal; on a timeout the caller's removal is the kill. */
    private Ended runIn(Sandbox sandbox, RunningJobs.Entry job, JobSpec spec, SandboxTarget target,
            OutputListener listener, RunPhases phases) throws InterruptedException {
        ScriptExec.Run script;
        try (AttachedExec attached = sandbox.attached) {
            script = attached.run(spec.script(), Duration.ofSeconds(target.limits().timeoutSeconds()), listener);
        }
        phases.scriptEnded();
        if (job.cancelled()) {
            return Ended.killed(Ending.CANCELLED, script);
        }
        if (!script.finished()) {
            return Ended.killed(Ending.TIMED_OUT, script);
        }
        RunResult collected = collect(sandbox, script, spec, job);
        if (job.cancelled()) {
            // why: a cancel (or a lost lease) during collection wins over the result it interrupted
            return Ended.killed(Ending.CANCELLED, script);
        }
        return new Ended(collected, Ending.COMPLETED);
    }

    private RunResult collect(Sandbox sandbox, ScriptExec.Run script, JobSpec spec, RunningJobs.Entry job) {
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
            ArtifactArchive.Contents files = ArtifactArchive.Contents.empty();
            if (spec.maxArtifactCount() > 0) {
                boolean untouched = sandbox.untouched(spec);
                if (!untouched) {
                    // why frozen: a cgroup freeze stops every leftover process without needing anything from inside
                    // the container (whatever the script did to its limits), so nothing writes while the archive
                    // streams
                    sandbox.freeze();
                    files = workspace.read(sandbox.containerId, spec, job);
                }
                artifactMetrics.collected(!untouched);
            }
            return ResultBudget.fit(exitCode, script.stdout(), script.stderr(), files.artifacts(), files.listing(),
                    spec.maxResultBytes());
        } catch (SandboxUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            throw SandboxUnavailableException.of("collecting the result", e);
        }
    }

    /** The container a run uses and R's exec in it; a cold one gets both only when {@link #ready} starts them. */
    private final class Sandbox {

        private final String containerId;
        private final boolean warm;
        private AttachedExec attached;
        /** The empty workspace's stamp from before the script; null when unknown, or input files were placed. */
        private String workspaceStamp;
        private boolean frozen;
        private boolean removed;

        Sandbox(String containerId, AttachedExec attached, String workspaceStamp) {
            this.containerId = containerId;
            this.attached = attached;
            this.warm = attached != null;
            this.workspaceStamp = workspaceStamp;
        }

        /**
         * Whether the script left the workspace as it found it: empty (no input files were placed) and its stamp
         * unchanged, so there is nothing to collect. why not with input files: a script may rewrite one in place,
         * which changes no stamp of the directory, and a changed input is an artifact.
         */
        boolean untouched(JobSpec spec) {
            return spec.files().isEmpty() && stamps.unchanged(containerId, workspaceStamp);
        }

        void freeze() {
            frozen = true;
            containers.freeze(containerId);
        }

        /**
         * Starts a cold sandbox's container and R, and places the input files in either kind, before any script
         * runs there: a warm sandbox's R is still waiting for its script. The workspace volume is mounted only while
         * the container runs, so the files go in after the start.
         */
        void ready(List<InputFile> files) {
            if (attached == null) {
                containers.start(containerId);
                if (files.isEmpty()) {
                    workspaceStamp = stamps.of(containerId);
                }
                placeInputs(files);
                attached = exec.attach(containerId);
            } else {
                placeInputs(files);
            }
        }

        private void placeInputs(List<InputFile> files) {
            if (!files.isEmpty()) {
                containers.copyIntoWorkspace(containerId,
                        InputArchive.of(files, settings.uid(), settings.gid(), clock.instant()));
            }
        }

        /** Ends the exec's stream and removes the container; once, whichever path calls it first. */
        void remove() {
            if (removed) {
                return;
            }
            removed = true;
            if (attached != null) {
                attached.close();
            }
            if (frozen) {
                // why: gVisor can't kill a frozen sandbox, and Docker then waits 10 s before forcing the removal
                containers.thaw(containerId);
            }
            containers.remove(containerId);
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
}
