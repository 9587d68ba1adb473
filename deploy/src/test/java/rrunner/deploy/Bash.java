package rrunner.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a bash snippet that sources one of the repository's scripts, so its functions are tested as the run and
 * test commands call them. Every call gets a state folder of its own (RR_STATE) under the caller's temp dir, and
 * the caller says which settings point away from the machine (such as the daemon.json path): nothing here touches
 * the host's Docker engine.
 */
final class Bash {

    private static final long TIMEOUT_SECONDS = 60;

    record Result(int exitCode, String stdout, String stderr) {

        List<String> lines() {
            return stdout.lines().toList();
        }
    }

    private Bash() {
    }

    /** Sources scripts/{script} in the repository, then runs the snippet; env is added to this JVM's own. */
    static Result source(String script, String snippet, Path tempDir, Map<String, String> env) {
        String program = "source \"$RR_ROOT_UNDER_TEST/scripts/" + script + "\"\n" + snippet;
        try {
            Path state = Files.createTempDirectory(tempDir, "run-state");
            Path out = tempDir.resolve("stdout-" + state.getFileName());
            Path err = tempDir.resolve("stderr-" + state.getFileName());
            ProcessBuilder builder = new ProcessBuilder("bash", "-c", program)
                    .directory(tempDir.toFile())
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            builder.environment().put("RR_ROOT_UNDER_TEST", RepositoryFiles.ROOT.toString());
            builder.environment().put("RR_STATE", state.toString());
            builder.environment().putAll(env);
            Process process = builder.start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("bash did not finish within " + TIMEOUT_SECONDS + " s: " + snippet);
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
