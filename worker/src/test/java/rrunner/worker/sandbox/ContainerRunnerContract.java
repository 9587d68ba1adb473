package rrunner.worker.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
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
import rrunner.common.environment.Environments;
import rrunner.common.event.JobEventType;
import rrunner.common.job.Artifact;
import rrunner.common.job.InputFile;
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
    static final Environments ENVIRONMENTS = WorkerSettings.environments();

    @RegisterExtension
    static final DockerSandboxes SANDBOXES = DockerSandboxes.withConnections(32);

    final DockerClient docker = SANDBOXES.client();
    final String workerId = SANDBOXES.workerId("it");

    /** A runner whose sandboxes have {@code settings}, on this subclass's path, with its metrics in {@code meters}. */
    abstract ContainerRunner runner(SandboxProperties settings, MeterRegistry meters);

    ContainerRunner runner(SandboxProperties settings) {
        return runner(settings, new SimpleMeterRegistry());
    }

    /** Whether this subclass's runs take prepared sandboxes (a resized one still counts). */
    abstract boolean warm();

    @BeforeAll
    static void imageIsPresent(DockerClient docker) {
        assertThat(docker.inspectImageCmd(ENVIRONMENTS.defaultEnvironment().image()).exec().getId()).startsWith("sha256:");
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

        SandboxOutcome completed = runner(SETTINGS).run(JobId.random(), spec("cat(1)"), OutputListener.IGNORE, (String) null,
                outcome -> containersSeen.add(SandboxLeakCheck.jobContainersOf(docker, workerId).size()));
        SandboxOutcome timedOut = runner(SETTINGS).run(JobId.random(), new JobSpec("Sys.sleep(60)", 1, 10, 5_000_000),
                OutputListener.IGNORE, (String) null,
                outcome -> containersSeen.add(SandboxLeakCheck.jobContainersOf(docker, workerId).size()));

        assertThat(completed.ending()).isEqualTo(Ending.COMPLETED);
        assertThat(timedOut.ending()).isEqualTo(Ending.TIMED_OUT);
        assertThat(containersSeen).as("the job's container while the outcome was handed over").element(0)
                .isEqualTo(1);
        assertThat(containersSeen).as("a timed-out job's container is killed before").element(1).isEqualTo(0);
        assertThat(SandboxLeakCheck.jobContainersOf(docker, workerId)).isEmpty();
    }

    @Test
    void leavesAWorkspaceTheScriptLeftEmptyUnreadAndReadsOneItWroteTo() {
        MeterRegistry untouched = new SimpleMeterRegistry();
        MeterRegistry written = new SimpleMeterRegistry();

        RunResult quiet = runner(SETTINGS, untouched).run(JobId.random(), spec("cat(1)"), OutputListener.IGNORE)
                .result();
        RunResult wrote = runner(SETTINGS, written).run(JobId.random(),
                spec("writeLines('x', 'a.txt'); file.create('gone'); invisible(file.remove('gone'))"),
                OutputListener.IGNORE).result();

        assertThat(quiet.stdout()).isEqualTo("1");
        assertThat(quiet.artifacts()).isEmpty();
        assertThat(collections(untouched)).containsExactly(0.0, 1.0);
        assertThat(wrote.artifacts()).extracting(Artifact::filename).containsExactly("a.txt");
        assertThat(collections(written)).containsExactly(1.0, 0.0);
    }

    /** How many workspaces were read, and how many were found unchanged and left unread. */
    private static List<Double> collections(MeterRegistry meters) {
        return List.of(meters.get(ArtifactMetrics.COLLECTIONS).tag("outcome", "read").counter().count(),
                meters.get(ArtifactMetrics.COLLECTIONS).tag("outcome", "unchanged").counter().count());
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
        SandboxOutcome outcome = runner(SETTINGS).run(JobId.random(),
                withLimits(spec("x <- numeric(2e9); x[] <- 1; cat('allocated\\n')"), 256, 0), OutputListener.IGNORE);

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

    @Test
    void placesAnInputCsvWhereReadCsvFindsIt() {
        SandboxOutcome outcome = runner(SETTINGS).run(JobId.random(), withFiles(
                spec("d <- read.csv('in.csv'); cat(nrow(d), sum(d$y), levels(factor(d$name)))"),
                text("in.csv", "name,y\nb,1.5\na,2\nb,3\n")), OutputListener.IGNORE);

        assertThat(outcome.warm()).isEqualTo(warm());
        assertThat(outcome.result().stderr()).isEmpty();
        assertThat(outcome.result().stdout()).isEqualTo("3 6.5 a b");
        assertThat(outcome.result().artifacts()).isEmpty();
    }

    @Test
    void roundTripsAnRdsFileThatRMade() {
        String value = "list(fit = coef(lm(mpg ~ wt, mtcars)), when = as.Date('2024-02-29'), f = factor(c('x', 'y')))";
        RunResult made = run("saveRDS(" + value + ", 'value.rds')");
        byte[] rds = Base64.getDecoder().decode(made.artifacts().get(0).content());

        RunResult result = runner(SETTINGS).run(JobId.random(), withFiles(
                spec("v <- readRDS('models/value.rds'); cat(identical(v, " + value + "))"),
                new InputFile("models/value.rds", rds)), OutputListener.IGNORE).result();

        assertThat(made.artifacts()).extracting(Artifact::filename).containsExactly("value.rds");
        assertThat(result.stderr()).isEmpty();
        assertThat(result.stdout()).isEqualTo("TRUE");
    }

    @Test
    void createsTheParentsOfNestedInputsAllOwnedByTheSandboxUser() {
        SandboxOutcome outcome = runner(SETTINGS).run(JobId.random(), withFiles(spec("""
                paths <- c('a', 'a/b', 'a/b/c', 'a/b/c/deep.txt', 'top.txt')
                info <- file.info(paths)
                cat(paste(paths, info$uid, info$gid, file.access(paths, 2) == 0), sep = '\\n')
                cat(readLines('a/b/c/deep.txt'), readLines('top.txt'), '\\n')
                writeLines('added', 'a/b/c/added.txt')
                """), text("a/b/c/deep.txt", "deep"), text("top.txt", "top")), OutputListener.IGNORE);

        assertThat(outcome.warm()).isEqualTo(warm());
        assertThat(outcome.result().stdout()).isEqualTo("""
                a 10001 10001 TRUE
                a/b 10001 10001 TRUE
                a/b/c 10001 10001 TRUE
                a/b/c/deep.txt 10001 10001 TRUE
                top.txt 10001 10001 TRUE
                deep top\s
                """);
        assertThat(outcome.result().artifacts()).extracting(Artifact::filename).containsExactly("a/b/c/added.txt");
    }

    @Test
    void returnsTheInputsTheScriptChangedButNotThoseItLeftAlone() {
        JobSpec spec = new JobSpec("""
                cat(' and more', file = 'notes.txt', append = TRUE)
                d <- read.csv('data/in.csv'); d$z <- d$x * 2; write.csv(d, 'data/in.csv', row.names = FALSE)
                """, 30, 2, 5_000_000, JobSpec.DEFAULT_MAX_RESULT_BYTES, null, 0, 0, List.of(
                text("notes.txt", "notes"), text("data/in.csv", "x\n1\n2\n"), text("data/same.csv", "x\n1\n"),
                text("untouched.txt", "as sent"), text("deep/er/also.txt", "as sent too")));

        RunResult result = runner(SETTINGS).run(JobId.random(), spec, OutputListener.IGNORE).result();

        assertThat(result.artifacts()).extracting(Artifact::filename)
                .containsExactlyInAnyOrder("notes.txt", "data/in.csv");
        assertThat(result.artifacts()).extracting(Artifact::content)
                .containsExactlyInAnyOrder("notes and more", "\"x\",\"z\"\n1,2\n2,4\n");
        assertThat(result.skippedArtifacts()).as("unchanged inputs use up none of the two artifacts").isEmpty();
    }

    @Test
    void givesTheSandboxTheMemoryTheJobAskedFor() {
        String script = """
                limit <- c('/sys/fs/cgroup/memory.max', '/sys/fs/cgroup/memory/memory.limit_in_bytes')
                cat(readLines(limit[file.exists(limit)][1]), '\\n'); flush(stdout())
                x <- numeric(1e8); cat('allocated', length(x))
                """;

        SandboxOutcome small = runner(SETTINGS).run(JobId.random(), withLimits(spec(script), 256, 0),
                OutputListener.IGNORE);
        SandboxOutcome large = runner(SETTINGS).run(JobId.random(), withLimits(spec(script), 1024, 0),
                OutputListener.IGNORE);

        assertThat(List.of(small.warm(), large.warm())).containsOnly(warm());
        assertThat(small.result().stdout()).isEqualTo("268435456 \n");
        assertThat(small.result().exitCode()).isNotZero();
        assertThat(large.result().stdout()).isEqualTo("1073741824 \nallocated 100000000");
        assertThat(large.result().exitCode()).as(large.result().stderr()).isZero();
    }

    @Test
    void capsTheCpuTimeAtTheCpusTheJobAskedFor() {
        String script = """
                cgroup <- function(v2, v1) readLines(c(v2, v1)[file.exists(c(v2, v1))][1])
                busy <- function(i) {
                  t0 <- proc.time()[['elapsed']]
                  while (proc.time()[['elapsed']] - t0 < 3) {}
                  p <- proc.time(); c(p[['user.self']] + p[['sys.self']], p[['elapsed']] - t0)
                }
                spent <- parallel::mclapply(1:2, busy, mc.cores = 2)
                stat <- cgroup('/sys/fs/cgroup/cpu.stat', '/sys/fs/cgroup/cpu/cpu.stat')
                quota <- cgroup('/sys/fs/cgroup/cpu.max', '/sys/fs/cgroup/cpu/cpu.cfs_quota_us')
                cat(strsplit(quota, ' ')[[1]][1], sub('nr_throttled ', '', grep('^nr_throttled', stat, value = TRUE)),
                    sum(sapply(spent, `[`, 1)), max(sapply(spent, `[`, 2)))
                """;
        ContainerRunner halfRunner = runner(SETTINGS);
        ContainerRunner twoRunner = runner(SETTINGS);

        // why at once: both then see the same load from whatever else this shared machine runs
        CompletableFuture<SandboxOutcome> halfRun = CompletableFuture.supplyAsync(() -> halfRunner.run(
                JobId.random(), withLimits(spec(script), 0, 0.5), OutputListener.IGNORE));
        CompletableFuture<SandboxOutcome> twoRun = CompletableFuture.supplyAsync(() -> twoRunner.run(
                JobId.random(), withLimits(spec(script), 0, 2), OutputListener.IGNORE));
        SandboxOutcome half = halfRun.orTimeout(60, TimeUnit.SECONDS).join();
        SandboxOutcome two = twoRun.orTimeout(60, TimeUnit.SECONDS).join();

        assertThat(List.of(half.warm(), two.warm())).containsOnly(warm());
        String[] halfSeen = half.result().stdout().split(" ");
        String[] twoSeen = two.result().stdout().split(" ");
        assertThat(halfSeen).as(half.result().stderr()).hasSize(4);
        assertThat(twoSeen).as(two.result().stderr()).hasSize(4);
        assertThat(halfSeen[0]).as("CFS quota in microseconds per 100 ms").isEqualTo("50000");
        assertThat(twoSeen[0]).isEqualTo("200000");
        // why no lower bound on what two cores yield: with other builds loading this 2-core machine (load 8 was
        // seen) neither sandbox gets half a core, so only the cap is certain: never more than half a core (plus a
        // period of slack) for the one, all but never throttled for the other
        double halfShare = Double.parseDouble(halfSeen[2]) / Double.parseDouble(halfSeen[3]);
        assertThat(halfShare).as("cores used by two busy processes under 0.5 (%s)", half.result().stdout())
                .isLessThan(0.65);
        // why up to 2 and not 0: CFS hands out quota in per-CPU slices, so a group using its whole quota on all of the
        // machine's cores can be throttled for a period now and then (ci20 saw 1); a cap below two cores throttles
        // two busy processes in nearly every one of the ~30 periods
        assertThat(Long.parseLong(twoSeen[1])).as("periods the two-core sandbox was throttled (%s)",
                two.result().stdout()).isLessThanOrEqualTo(2);
        assertThat(Double.parseDouble(twoSeen[2])).as("CPU seconds under two cores").isPositive();
    }

    RunResult run(String script) {
        SandboxOutcome outcome = runner(SETTINGS).run(JobId.random(), spec(script), OutputListener.IGNORE);
        assertThat(outcome.ending()).isEqualTo(Ending.COMPLETED);
        return outcome.result();
    }

    static JobSpec spec(String script) {
        return new JobSpec(script, 30, 10, 5_000_000);
    }

    /** {@code spec} with these limits; 0 leaves one at the environment's default. */
    static JobSpec withLimits(JobSpec spec, long memoryMb, double cpus) {
        return new JobSpec(spec.script(), spec.timeoutSeconds(), spec.maxArtifactCount(), spec.maxArtifactBytes(),
                spec.maxResultBytes(), spec.environment(), memoryMb, cpus, spec.files());
    }

    static JobSpec withFiles(JobSpec spec, InputFile... files) {
        return new JobSpec(spec.script(), spec.timeoutSeconds(), spec.maxArtifactCount(), spec.maxArtifactBytes(),
                spec.maxResultBytes(), spec.environment(), spec.memoryMb(), spec.cpus(), List.of(files));
    }

    static InputFile text(String path, String content) {
        return new InputFile(path, content.getBytes(StandardCharsets.UTF_8));
    }
}
