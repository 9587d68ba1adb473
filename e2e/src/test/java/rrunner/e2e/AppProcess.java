package rrunner.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One of our Spring Boot apps, started from its executable jar as a separate JVM, with its log in a file. */
final class AppProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;

    private AppProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    static AppProcess start(String name, String jarProperty, Map<String, String> env) {
        String jar = System.getProperty(jarProperty);
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("executable jar not found: " + jarProperty + "=" + jar
                    + " (run through Maven so the reactor builds it)");
        }
        try {
            Path log = Files.createTempFile("rrunner-e2e-" + name, ".log");
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-jar", jar));
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            // why: the apps must see only what a deployment would give them, not this JVM's environment
            builder.environment().keySet().removeIf(key -> key.startsWith("RUNNER_") || key.startsWith("SPRING_"));
            builder.environment().putAll(env);
            return new AppProcess(name, builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGKILL: the process gets no chance to clean up, as when a machine or a container runtime dies. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** SIGTERM, as an orchestrator stops a container; returns once the process has exited. */
    void terminate(java.time.Duration within) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(name + " did not exit within " + within + " of SIGTERM");
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    @Override
    public String toString() {
        return name + " (log " + log + ")";
    }
}
