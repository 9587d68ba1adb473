package rrunner.worker.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import rrunner.common.event.JobEventType;
import rrunner.common.job.Artifact;
import rrunner.common.job.JobId;
import rrunner.common.job.JobSpec;
import rrunner.common.job.RunResult;
import rrunner.worker.sandbox.SandboxOutcome.Ending;
import rrunner.worker.testing.DockerSandboxes;
import rrunner.worker.testing.SandboxLeakCheck;
import rrunner.worker.testing.WorkerSettings;

/**
 * The sandbox's promises, checked one by one with real scripts in the real r-base image. Each subclass supplies
 * runners for one path to a ready sandbox (cold start, prepared pool), and every promise must hold on each: from
 * the moment a sandbox is ready both paths run the same code, and this is what keeps them the same.
 */
abstract class ContainerRunnerContract {

    static final SandboxProperties SETTINGS = WorkerSettings.sandbox();

    @RegisterExtension
    static final DockerSandboxes SANDBOXES = DockerSandboxes.withConnections(32);

    final DockerClient docker = SANDBOXES.client();
    final String workerId = SANDBOXES.workerId("it");

    /** A runner whose sandboxes have {@code settings}, on this subclass's path. */
    abstract ContainerRunner runner(SandboxProperties settings);

    @BeforeAll
    static void imageIsPresent(DockerClient docker) {
        assertThat(docker.inspectImageCmd(SETTINGS.image()).exec().getId()).startsWith("sha256:");
    }

    @Test
    void printsToStdoutAndStreamsIt() {
        List<String> streamed = Collections.synchronizedList(new ArrayList<>());

        SandboxOutcome outcome = runner(SETTINGS).run(JobId.random(), spec("cat('hello world\\n')"),
                (stream, chunk) -> streamed.add(stream + ":" + chunk));

        assertThat(outcome.ending()).isEqualTo(Ending.COMPLETED);
        assertThat(outcome.result()).isEqualTo(RunResult.ofScript(0, "hello world\n", "", List.of()));
        assertThat(String.join("", streamed)).isEqualTo("STDOUT:hello world\n");
    }

    @Test
    void keepsStderrApartFromStdout() {
        RunResult result = run("cat('out\\n'); message('err')");

        assertThat(result.stdout()).isEqualTo("out\n");
        assertThat(result.stderr()).isEqualTo("err\n");
    }

    @Test
    void reportsTheStatusGivenToQuit() {
        RunResult result = run("quit(status = 3)");

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.success()).isFalse();
        assertThat(result.runtimeStderr()).isEmpty();
    }

    @Test
    void haltsOnAnErrorLikeRscript() {
        RunResult result = run("cat('before\\n'); stop('boom'); cat('after\\n')");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stdout()).isEqualTo("before\n");
        assertThat(result.stderr()).contains("boom").contains("Execution halted");
    }

    @Test
    void printsWarnings() {
        RunResult result = run("f <- function() warning('careful'); f(); cat('done\\n')");

        assertThat(result.exitCode()).isZero();
        assertThat(result.stderr()).contains("Warning message").contains("careful");
        assertThat(result.stdout()).isEqualTo("done\n");
    }

    @Test
    void aScriptThatReadsStdinReadsNothingNotItsOwnSource() {
        String padding = "# " + "x".repeat(8000) + "\n";
        RunResult result = run("lines <- readLines(file('stdin'))\n" + padding + "cat(length(lines), 'after')");

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo("0 after");
    }

    @Test
    void killsTheContainerWhenTheTimeoutRunsOut() {
        JobId jobId = JobId.random();
        long start = System.nanoTime();

        SandboxOutcome outcome = runner(SETTINGS).run(jobId,
                new JobSpec("cat(Sys.getenv('HOSTNAME'), '\\n', sep = ''); flush(stdout()); Sys.sleep(60)", 2, 10,
                        5_000_000),
                OutputListener.IGNORE);

        assertThat(outcome.ending()).isEqualTo(Ending.TIMED_OUT);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(outcome.result().exitCode()).isEqualTo(ContainerRunner.KILLED_EXIT_CODE);
        assertThat(outcome.result().stdout()).matches("[0-9a-f]{12}\n");
        String hostname = outcome.result().stdout().strip();
        assertThat(SandboxLeakCheck.containersOf(docker, workerId)).extracting(Container::getId)
                .noneMatch(id -> id.startsWith(hostname));
    }

    @Test
    void handsOverACompletedOutcomeBeforeRemovingTheContainerAndATimedOutOneAfter() {
        List<Integer> containersSeen = new ArrayList<>();

        SandboxOutcome completed = runner(SETTINGS).run(JobId.random(), spec("cat(1)"), OutputListener.IGNORE, null,
                outcome -> containersSeen.add(SandboxLeakCheck.jobContainersOf(docker, workerId).size()));
        SandboxOutcome timedOut = runner(SETTINGS).run(JobId.random(), new JobSpec("Sys.sleep(60)", 1, 10, 5_000_000),
                OutputListener.IGNORE, null,
                outcome -> containersSeen.add(SandboxLeakCheck.jobContainersOf(docker, workerId).size()));

        assertThat(completed.ending()).isEqualTo(Ending.COMPLETED);
        assertThat(timedOut.ending()).isEqualTo(Ending.TIMED_OUT);
        assertThat(containersSeen).as("the job's container while the outcome was handed over").element(0)
                .isEqualTo(1);
        assertThat(containersSeen).as("a timed-out job's container is killed before").element(1).isEqualTo(0);
        assertThat(SandboxLeakCheck.jobContainersOf(docker, workerId)).isEmpty();
    }

    @Test
    void returnsAPlotAsBase64Png() {
        RunResult result = run("png('p.png'); plot(1:10); invisible(dev.off())");

        assertThat(result.artifacts()).singleElement().satisfies(png -> {
            assertThat(png.filename()).isEqualTo("p.png");
            assertThat(png.mimeType()).isEqualTo("image/png");
            assertThat(png.encoding()).isEqualTo(Artifact.BASE64);
            assertThat(Base64.getDecoder().decode(png.content()))
                    .startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G', (byte) '\r', (byte) '\n');
        });
    }

    @Test
    void returnsACsvAsText() {
        RunResult result = run("write.csv(head(mtcars), 'd.csv')");

        assertThat(result.artifacts()).singleElement().satisfies(csv -> {
            assertThat(csv.filename()).isEqualTo("d.csv");
            assertThat(csv.mimeType()).isEqualTo("text/csv");
            assertThat(csv.encoding()).isEqualTo(Artifact.UTF8);
            assertThat(csv.content()).startsWith("\"\",\"mpg\"").contains("\"Mazda RX4\",21");
        });
    }

    @Test
    void returnsOnlyTheNewestFilesUpToTheLimit() {
        String script = """
                for (i in 1:5) {
                  f <- paste0('f', i, '.txt')
                  writeLines(as.character(i), f)
                  Sys.setFileTime(f, as.POSIXct('2024-01-01', tz = 'UTC') + i * 60)
                }
                dir.create('sub'); writeLines('old', 'sub/old.txt')
                Sys.setFileTime('sub/old.txt', as.POSIXct('2023-01-01', tz = 'UTC'))
                """;

        RunResult result = runner(SETTINGS).run(JobId.random(), new JobSpec(script, 30, 3, 5_000_000),
                OutputListener.IGNORE).result();

        assertThat(result.artifacts()).extracting(Artifact::filename).containsExactly("f5.txt", "f4.txt", "f3.txt");
    }

    @Test
    void returnsFilesInSubdirectoriesWithTheirPath() {
        RunResult result = run("dir.create('out'); writeLines('x', 'out/a.txt')");

        assertThat(result.artifacts()).extracting(Artifact::filename).containsExactly("out/a.txt");
    }

    @Test
    void neverFollowsASymlinkOutOfTheWorkspace() {
        RunResult result = run("file.symlink('/etc/passwd', 'x.txt'); writeLines('mine', 'real.txt')");

        assertThat(result.artifacts()).extracting(Artifact::filename).containsExactly("real.txt");
        assertThat(result.artifacts()).extracting(Artifact::content).noneMatch(c -> c.contains("root:"));
    }

    @Test
    void hasNoNetworkButLoopback() {
        RunResult result = run("""
                cat(list.files('/sys/class/net'), sep = '\\n')
                routes <- readLines('/proc/net/route')
                cat('routes:', length(routes) - 1, '\\n')
                """);

        assertThat(result.stdout()).isEqualTo("lo\nroutes: 0 \n");
    }

    @Test
    void runsAsTheUnprivilegedUser() {
        RunResult result = run("cat(system('id -u', intern = TRUE), system('id -g', intern = TRUE))");

        assertThat(result.stdout()).isEqualTo("10001 10001");
    }

    @Test
    void cannotWriteTheRootFilesystem() {
        RunResult result = run("""
                cat(file.create('/usr/x', showWarnings = FALSE), '\\n')
                cat(tryCatch({ writeLines('x', '/x'); 'written' }, error = function(e) 'refused'), '\\n')
                cat(file.create(file.path(tempdir(), 'ok')), '\\n')
                """);

        assertThat(result.stdout()).isEqualTo("FALSE \nrefused \nTRUE \n");
    }

    @Test
    void stopsAnAllocationOverTheMemoryLimit() {
        SandboxProperties small = WorkerSettings.sandbox("RUNNER_MEMORY_LIMIT", "256MB");

        SandboxOutcome outcome = runner(small).run(JobId.random(),
                spec("x <- numeric(2e9); x[] <- 1; cat('allocated\\n')"), OutputListener.IGNORE);

        assertThat(outcome.ending()).isEqualTo(Ending.COMPLETED);
        assertThat(outcome.result().exitCode()).isNotZero();
        assertThat(outcome.result().stdout()).doesNotContain("allocated");
    }

    @Test
    void stopsAForkLoopAtThePidsLimit() {
        SandboxProperties fewPids = WorkerSettings.sandbox("RUNNER_PIDS_LIMIT", "64");

        SandboxOutcome outcome = runner(fewPids).run(JobId.random(), new JobSpec(
                "status <- system('for i in $(seq 1 300); do sleep 5 & done; wait'); cat('status', status, '\\n')",
                30, 10, 5_000_000), OutputListener.IGNORE);

        assertThat(outcome.ending()).isEqualTo(Ending.COMPLETED);
        assertThat(outcome.result().stderr()).containsAnyOf("fork", "Resource temporarily unavailable");
    }

    @Test
    void passesNoneOfTheServersEnvironment() {
        RunResult result = run("cat(names(Sys.getenv()), sep = '\\n')");

        Set<String> names = Arrays.stream(result.stdout().split("\n")).collect(Collectors.toSet());
        Set<String> allowed = Set.of("HOME", "TMPDIR", "LANG", "PATH", "HOSTNAME", "XDG_CACHE_HOME", "PWD", "SHLVL",
                "EDITOR", "PAGER", "LN_S", "MAKE", "SED", "TAR", "LD_LIBRARY_PATH");
        assertThat(names).contains("HOME", "TMPDIR", "LANG")
                .allMatch(name -> allowed.contains(name) || name.startsWith("R_") || name.startsWith("_R_"))
                .noneMatch(name -> name.startsWith("RUNNER_"));
        // failsafe sets this in the test JVM's own environment: it must not reach the script
        assertThat(System.getenv()).containsKey("TESTCONTAINERS_RYUK_DISABLED");
        assertThat(names).doesNotContain("TESTCONTAINERS_RYUK_DISABLED");
    }

    @Test
    void cutsOutputOverTheCapWithAMarker() {
        SandboxProperties capped = WorkerSettings.sandbox("RUNNER_MAX_OUTPUT_BYTES", "1024B");
        List<String> streamed = Collections.synchronizedList(new ArrayList<>());

        RunResult result = runner(capped).run(JobId.random(), spec("cat(strrep('x', 5000)); message('short')"),
                (stream, chunk) -> {
                    if (stream == JobEventType.STDOUT) {
                        streamed.add(chunk);
                    }
                }).result();

        assertThat(result.stdout()).isEqualTo("x".repeat(1024) + "\n[output truncated: 3976 more bytes]\n");
        assertThat(result.stderr()).isEqualTo("short\n");
        assertThat(String.join("", streamed)).isEqualTo("x".repeat(1024));
    }

    @Test
    void cancelsARunningScriptQuickly() {
        ContainerRunner runner = runner(SETTINGS);
        JobId jobId = JobId.random();
        List<String> streamed = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<SandboxOutcome> run = CompletableFuture.supplyAsync(() -> runner.run(jobId,
                spec("cat('sleeping\\n'); flush(stdout()); Sys.sleep(60)"), (stream, chunk) -> streamed.add(chunk)));
        await().atMost(Duration.ofSeconds(20)).until(() -> streamed.contains("sleeping\n") || run.isDone());

        long start = System.nanoTime();
        assertThat(runner.cancel(jobId)).isTrue();

        SandboxOutcome outcome = run.orTimeout(10, TimeUnit.SECONDS).join();
        assertThat(outcome.ending()).isEqualTo(Ending.CANCELLED);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(runner.cancel(jobId)).isFalse();
    }

    RunResult run(String script) {
        SandboxOutcome outcome = runner(SETTINGS).run(JobId.random(), spec(script), OutputListener.IGNORE);
        assertThat(outcome.ending()).isEqualTo(Ending.COMPLETED);
        return outcome.result();
    }

    static JobSpec spec(String script) {
        return new JobSpec(script, 30, 10, 5_000_000);
    }
}
