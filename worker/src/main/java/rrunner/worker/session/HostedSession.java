package rrunner.worker.session;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import rrunner.common.job.JobId;
import rrunner.common.session.SessionId;
import rrunner.common.session.SessionSpec;

/** A session living on this worker: its sandbox, and the exec running in it, if any. */
public final class HostedSession {

    private final SessionId id;
    private final SessionSpec spec;
    private final SessionSandbox sandbox;
    private final AtomicReference<JobId> runningExec = new AtomicReference<>();
    private final AtomicBoolean workspaceUnmeasured = new AtomicBoolean();

    public HostedSession(SessionId id, SessionSpec spec, SessionSandbox sandbox) {
        this.id = id;
        this.spec = spec;
        this.sandbox = sandbox;
    }

    public SessionId id() {
        return id;
    }

    public SessionSpec spec() {
        return spec;
    }

    public SessionSandbox sandbox() {
        return sandbox;
    }

    /** Marks {@code exec} as running here until {@link #execEnded}, so a cancel of it finds this session. */
    public void execStarted(JobId exec) {
        runningExec.set(exec);
    }

    public void execEnded(JobId exec) {
        runningExec.compareAndSet(exec, null);
    }

    /** Interrupts the exec if it is the one running here; false otherwise. */
    boolean interrupt(JobId exec) {
        return exec.equals(runningExec.get()) && sandbox.interrupt();
    }

    public boolean busy() {
        return runningExec.get() != null;
    }

    /** An exec may have changed the workspace: its size is to be measured again once the session is idle. */
    public void workspaceChanged() {
        workspaceUnmeasured.set(true);
    }

    /** True once per {@link #workspaceChanged}: the caller measures the workspace now. */
    public boolean takeWorkspaceChange() {
        return workspaceUnmeasured.getAndSet(false);
    }
}
