package rrunner.common.testing;

import java.util.List;
import rrunner.common.job.JobSpec;
import rrunner.common.job.RunResult;

/** Fixtures for jobs and results, shared by the modules' tests through common's test-jar. */
public final class Jobs {

    private Jobs() {
    }

    public static JobSpec aSpec(String script) {
        return new JobSpec(script, 30, 10, 5_000_000);
    }

    public static JobSpec aTrivialSpec() {
        return aSpec("cat(1)");
    }

    public static RunResult aSuccessfulResult(String stdout) {
        return RunResult.ofScript(0, stdout, "", List.of());
    }
}
