package rrunner.worker.testing;

import rrunner.worker.sandbox.SandboxOwner;

/** The owner tests give the sandboxes they make: one deployment name for all tests, the test's own worker id. */
public final class TestOwner {

    public static final String DEPLOYMENT = "it";

    private TestOwner() {
    }

    public static SandboxOwner of(String workerId) {
        return new SandboxOwner(DEPLOYMENT, workerId);
    }
}
