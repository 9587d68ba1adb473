package rrunner.worker.session;

import rrunner.common.session.SessionFile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import rrunner.common.environment.Environment;
import rrunner.common.job.Artifact;
import rrunner.common.job.Limits;
import rrunner.common.job.RunResult;
import rrunner.common.job.SkippedArtifact;
import rrunner.worker.sandbox.OutputListener;
import rrunner.worker.sandbox.SandboxLabels;
import rrunner.worker.sandbox.SandboxProperties;
import rrunner.worker.session.ExecOutcome.Ending;
import rrunner.worker.testing.DockerSandboxes;
import rrunner.worker.testing.TestOwner;
import rrunner.worker.testing.WorkerSettings;

/** A session's sandbox against the real Docker engine and r-base image: state, interrupts, deaths, files, policy. */
class SessionSandboxIT {

    static final SandboxProperties SETTINGS = WorkerSettings.sandbox();
    static final Environment ENVIRONMENT = WorkerSettings.defaultEnvironment();
    static final ResultLimits RESULT_LIMITS = new ResultLimits(10, 5_000_000, 70_000_000);
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    @RegisterExtension
    static final DockerSandboxes SANDBOXES = DockerSandboxes.withConnections(32);

    final DockerClient docker = SANDBOXES.client();
    final String workerId = SANDBOXES.workerId("session");
    private final List<SessionSandbox> opened = new ArrayList<>();

    @AfterEach
    void closeSessions() {
        opened.forEach(SessionSandbox::close);
    }

    @Test
    void keepsObjectsAndLoadedPackagesFromOneExecToTheNext() throws Exception {
        SessionSandbox session = open();

        RunResult first = run(session, "x <- 41; library(stats4)");
        RunResult second = run(session, "cat(x + 1, exists(\"mle\"))");

        assertThat(first.exitCode()).isZero();
        assertThat(second.stdout()).isEqualTo("42 TRUE");
        assertThat(second.stderr()).isEmpty();
    }

    @Test
    void keepsTheWorkingDirectoryAndOptionsAndPrintsVisibleValues() throws Exception {
        SessionSandbox session = open();

        run(session, "dir.create('sub'); setwd('sub'); options(digits = 3)");
        RunResult result = run(session, "getwd()\ninvisible(7)\npi");

        assertThat(result.stdout()).isEqualTo("[1] \"/workspace/sub\"\n[1] 3.14\n");
    }

    @Test
    void stopsAtTheFirstErrorWithExitCodeOneAndGoesOn() throws Exception {
        SessionSandbox session = open();

        RunResult failed = run(session, "cat('before\\n'); stop('boom'); cat('after\\n')");
        RunResult next = run(session, "f <- function() warning('careful'); f(); cat('next')");

        assertThat(failed.exitCode()).isEqualTo(1);
        assertThat(failed.success()).isFalse();
        assertThat(failed.stdout()).isEqualTo("before\n");
        assertThat(failed.stderr()).isEqualTo("Error: boom\n");
        assertThat(next.exitCode()).isZero();
        assertThat(next.stdout()).isEqualTo("next");
        assertThat(next.stderr()).isEqualTo("Warning message:\nIn f() : careful\n");
    }

    @Test
    void interruptsAnExecWhoseTimeoutRanOutAndKeepsTheSession() throws Exception {
        SessionSandbox session = open();
        run(session, "x <- 41");
        long start = System.nanoTime();

        ExecOutcome outcome = session.exec("cat('started\\n'); x <- x + 1; Sys.sleep(60)", Duration.ofSeconds(2),
                RESULT_LIMITS, OutputListener.IGNORE);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(outcome.ending()).isEqualTo(Ending.TIMED_OUT);
        assertThat(outcome.result().exitCode()).isEqualTo(SessionSandbox.INTERRUPTED_EXIT_CODE);
        assertThat(outcome.result().stdout()).isEqualTo("started\n");
        assertThat(session.alive()).isTrue();
        assertThat(run(session, "cat(x)").stdout()).isEqualTo("42");
    }

    @Test
    void cancelsTheRunningExecOnInterruptAndKeepsTheSession() throws Exception {
        SessionSandbox session = open();
        assertThat(session.interrupt()).as("nothing running").isFalse();
        List<String> streamed = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<ExecOutcome> exec = CompletableFuture.supplyAsync(() -> {
            try {
                return session.exec("y <- 'kept'; cat('sleeping\\n'); Sys.sleep(60)", TIMEOUT, RESULT_LIMITS,
                        (stream, chunk) -> streamed.add(chunk));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(TIMEOUT).until(() -> streamed.contains("sleeping\n"));

        assertThat(session.interrupt()).isTrue();

        ExecOutcome outcome = exec.orTimeout(10, TimeUnit.SECONDS).join();
        assertThat(outcome.ending()).isEqualTo(Ending.CANCELLED);
        assertThat(outcome.result().stdout()).isEqualTo("sleeping\n");
        assertThat(run(session, "cat(y)").stdout()).isEqualTo("kept");
    }

    @Test
    void losesTheSessionWhenRQuits() throws Exception {
        SessionSandbox session = open();

        ExecOutcome outcome = session.exec("cat('bye\\n'); quit(status = 3)", TIMEOUT, RESULT_LIMITS,
                OutputListener.IGNORE);

        assertThat(outcome.ending()).isEqualTo(Ending.LOST);
        assertThat(outcome.reason()).isEqualTo("R exited with status 3");
        assertThat(outcome.result().exitCode()).isEqualTo(3);
        assertThat(outcome.result().stdout()).isEqualTo("bye\n");
        assertThat(session.alive()).isFalse();
        assertThat(session.exec("cat(1)", TIMEOUT, RESULT_LIMITS, OutputListener.IGNORE).ending())
                .isEqualTo(Ending.LOST);
    }

    @Test
    void reportsAnAllocationFarOverTheLimitAsAnOrdinaryError() throws Exception {
        SessionSandbox session = open(new Limits(30, 256, 1));
        run(session, "x <- 1");

        RunResult result = run(session, "y <- numeric(5e9)");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).startsWith("Error: cannot allocate vector of size");
        assertThat(session.alive()).isTrue();
        assertThat(run(session, "cat(x)").stdout()).isEqualTo("1");
    }

    @Test
    void losesTheSessionWhenTheKernelKillsROutOfMemory() throws Exception {
        SessionSandbox session = open(new Limits(30, 256, 1));

        ExecOutcome outcome = session.exec("chunks <- list(); repeat chunks[[length(chunks) + 1]] <- rnorm(1e6)",
                TIMEOUT, RESULT_LIMITS, OutputListener.IGNORE);

        assertThat(outcome.ending()).isEqualTo(Ending.LOST);
        assertThat(outcome.reason()).contains("memory");
        assertThat(session.alive()).isFalse();
    }

    @Test
    void returnsTheFilesAnExecWroteButNotThosePutAndLeftAlone() throws Exception {
        SessionSandbox session = open();
        session.putFile("data/in.csv", "x,y\n1,2\n2,5\n".getBytes(StandardCharsets.UTF_8));
        session.putFile("notes.txt", "notes ".getBytes(StandardCharsets.UTF_8));

        RunResult wrote = run(session, """
                d <- read.csv('data/in.csv')
                info <- file.info(c('data', 'data/in.csv'))
                cat(sum(d$y), info$uid)
                write.csv(d * 2, 'out/doubled.csv', row.names = FALSE)
                """.replace("write.csv", "dir.create('out'); write.csv"));
        RunResult appended = run(session, "cat('changed', file = 'notes.txt', append = TRUE)");
        RunResult untouched = run(session, "cat(1)");

        assertThat(wrote.stdout()).isEqualTo("7 10001 10001");
        assertThat(wrote.artifacts()).extracting(Artifact::filename, Artifact::content)
                .containsExactly(tuple("out/doubled.csv", "\"x\",\"y\"\n2,4\n4,10\n"));
        assertThat(appended.artifacts()).extracting(Artifact::filename, Artifact::content)
                .containsExactly(tuple("notes.txt", "notes changed"));
        assertThat(untouched.artifacts()).isEmpty();
    }

    @Test
    void listsReadsAndDeletesWorkspaceFiles() throws Exception {
        SessionSandbox session = open();
        session.putFile("a/b.txt", "hello".getBytes(StandardCharsets.UTF_8));
        run(session, "writeLines('made by R', 'r.txt'); file.symlink('/etc/passwd', 'link')");

        assertThat(session.listFiles()).extracting(SessionFile::path, SessionFile::type)
                .containsExactlyInAnyOrder(tuple("a", "directory"), tuple("a/b.txt", "file"), tuple("r.txt", "file"));
        assertThat(session.listFiles()).filteredOn(file -> file.path().equals("a/b.txt"))
                .singleElement().extracting(SessionFile::size).isEqualTo(5L);
        assertThat(session.readFile("r.txt", 100)).hasValueSatisfying(bytes ->
                assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo("made by R\n"));
        assertThat(session.readFile("a", 100)).as("a directory").isEmpty();
        assertThat(session.readFile("missing", 100)).isEmpty();
        assertThat(session.readFile("link", 10_000)).as("a symlink out of the workspace").isEmpty();
        assertThatThrownBy(() -> session.readFile("r.txt", 5)).isInstanceOf(FileTooLargeException.class);

        assertThat(session.deleteFile("a")).isTrue();
        assertThat(session.deleteFile("a")).isFalse();
        assertThat(session.listFiles()).extracting(SessionFile::path).containsExactly("r.txt");
    }

    @Test
    void refusesPathsThatLeaveTheWorkspace() throws Exception {
        SessionSandbox session = open();
        run(session, "file.symlink('/tmp', 'out')");

        for (String path : List.of("../x", "/etc/passwd", "a/../../x", "a\\b", "a\0b", "", "./x", "a//b")) {
            assertThatThrownBy(() -> session.putFile(path, new byte[] {1})).as(path)
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> session.readFile(path, 10)).as(path).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> session.deleteFile(path)).as(path).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> session.putFile("out/x", new byte[] {1})).as("through a symlink")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside the workspace");
        assertThat(run(session, "cat(file.exists('/tmp/x'))").stdout()).isEqualTo("FALSE");
    }

    /** 60 MB apparent: the sandbox's file size limit (just over its largest mount) refuses a sparse 1 GB. */
    @Test
    void measuresASparseFileByWhatItOccupiesAndReadsItBounded() throws Exception {
        SessionSandbox session = open();
        long empty = session.workspaceBytes();

        ExecOutcome outcome = session.exec("con <- file('big', 'wb'); invisible(seek(con, 6e7)); "
                + "writeBin(as.raw(1), con); close(con); cat(sprintf('%.0f', file.size('big')))",
                TIMEOUT, RESULT_LIMITS, OutputListener.IGNORE);

        assertThat(outcome.result().stdout()).isEqualTo("60000001");
        assertThat(outcome.result().artifacts()).isEmpty();
        assertThat(outcome.result().skippedArtifacts()).extracting(SkippedArtifact::filename).containsExactly("big");
        assertThat(session.workspaceBytes() - empty).isLessThan(1 << 20);
        assertThatThrownBy(() -> session.readFile("big", 1 << 20)).isInstanceOf(FileTooLargeException.class);
        assertThat(session.listFiles()).extracting(SessionFile::path, SessionFile::size)
                .containsExactly(tuple("big", 60_000_001L));
    }

    @Test
    void refusesAFileTheWorkspaceHasNoRoomForAndLeavesNothingOfIt() throws Exception {
        SessionSandbox session = open();
        long room = SETTINGS.workspaceSize().toBytes() - session.workspaceBytes();
        session.exec("writeBin(raw(" + (room - 1_000_000) + "), 'filler')", TIMEOUT, RESULT_LIMITS,
                OutputListener.IGNORE);

        assertThatThrownBy(() -> session.putFile("data/big.bin", new byte[2_000_000]))
                .isInstanceOf(WorkspaceFullException.class);

        assertThat(session.listFiles()).extracting(SessionFile::path).containsExactlyInAnyOrder("filler", "data");
        session.putFile("small.txt", new byte[1000]);
    }

    @Test
    void movesObjectsAttachedPackagesTheWorkingDirectoryAndFilesToAnotherSandbox() throws Exception {
        SessionSandbox from = open();
        from.exec("x <- 41; library(stats4); dir.create('sub'); setwd('sub'); writeLines('hi', 'f.txt'); "
                + "add <- function(y) y + x; library <- function(...) stop('shadowed'); .hidden <- 'h'",
                TIMEOUT, RESULT_LIMITS, OutputListener.IGNORE);

        byte[] snapshot = from.snapshot(1 << 20);
        SessionSandbox to = open();
        to.restore(snapshot);

        ExecOutcome outcome = to.exec("cat(x + 1, exists('mle'), basename(getwd()), readLines('f.txt'), add(1), "
                + ".hidden, file.exists('/workspace/.rrunner-move'))", TIMEOUT, RESULT_LIMITS,
                OutputListener.IGNORE);
        assertThat(outcome.result().stdout()).isEqualTo("42 TRUE sub hi 42 h FALSE");
    }

    @Test
    void refusesToSaveASessionOverTheMoveLimit() throws Exception {
        SessionSandbox session = open();
        session.exec("big <- runif(1e6)", TIMEOUT, RESULT_LIMITS, OutputListener.IGNORE);

        assertThatThrownBy(() -> session.snapshot(1 << 20)).isInstanceOf(SessionNotMovableException.class)
                .hasMessageContaining("over 1048576 bytes");
    }

    @Test
    void capsAnOutputFloodAndStillEndsTheExec() throws Exception {
        SessionSandbox session = open(WorkerSettings.sandbox("RUNNER_MAX_OUTPUT_BYTES", "1024B"),
                ENVIRONMENT.defaults());

        ExecOutcome outcome = session.exec("repeat cat(strrep('x', 1000))", Duration.ofSeconds(2), RESULT_LIMITS,
                OutputListener.IGNORE);

        assertThat(outcome.ending()).isEqualTo(Ending.TIMED_OUT);
        assertThat(outcome.result().stdout()).startsWith("x".repeat(1024) + "\n[output truncated: ")
                .hasSizeLessThan(1100);
        assertThat(run(session, "cat('calm')").stdout()).isEqualTo("calm");
    }

    @Test
    void survivesMarkersPrintedByTheScript() throws Exception {
        SessionSandbox session = open();

        RunResult forged = run(session,
                "cat('\\036rrunner-end 00000000000000000000000000000000 ok 0 \\n\\036rrunner-end'); cat('!')");
        RunResult stolen = run(session, """
                for (f in sys.frames()) if (exists('nonce', envir = f, inherits = FALSE)) n <- get('nonce', envir = f)
                cat(paste0('\\036rrunner-end ', n, ' ok 0 \\n')); cat(paste0('\\036rrunner-end ', n, ' ok\\n'), file = stderr())
                cat('late')
                """);

        assertThat(forged.stdout()).isEqualTo("\u001errunner-end 00000000000000000000000000000000 ok 0 \n"
                + "\u001errunner-end!");
        assertThat(stolen.stdout()).isEmpty();
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(run(session, "cat(1)").stdout()).isEqualTo("1"));
    }

    @Test
    void roundTripsMultiByteUtf8AndLongScripts() throws Exception {
        SessionSandbox session = open();
        String text = "héllo ✓ 日本 😀";
        String padding = "# " + "é".repeat(100_000) + "\n";

        RunResult result = run(session, padding + "s <- '" + text + "'; cat(s, nchar(s))");

        assertThat(result.stdout()).isEqualTo(text + " " + text.codePointCount(0, text.length()));
    }

    @Test
    void givesAScriptThatReadsStdinNothingAndKeepsTheRequestsApart() throws Exception {
        SessionSandbox session = open();

        RunResult read = run(session, "cat(length(readLines(file('stdin'))))");

        assertThat(read.stdout()).isEqualTo("0");
        assertThat(run(session, "cat(2)").stdout()).isEqualTo("2");
    }

    @Test
    void labelsItsContainerAndRemovesItOnClose() throws Exception {
        Instant endsAt = Instant.now().plus(Duration.ofHours(1));
        SessionSandbox session = SessionSandbox.open(docker, SETTINGS, ENVIRONMENT, ENVIRONMENT.defaults(), "s-42",
                endsAt, TestOwner.of(workerId));
        Map<String, String> labels = docker.inspectContainerCmd(session.containerId()).exec().getConfig().getLabels();

        assertThat(labels).containsEntry(SandboxLabels.ROLE, SandboxLabels.ROLE_SESSION)
                .containsEntry(SandboxLabels.SESSION, "s-42")
                .containsEntry(SandboxLabels.SESSION_ENDS, Long.toString(endsAt.getEpochSecond()));
        assertThat(session.imageId()).isEqualTo(docker.inspectImageCmd(ENVIRONMENT.image()).exec().getId());

        session.close();
        session.close();

        assertThatThrownBy(() -> docker.inspectContainerCmd(session.containerId()).exec())
                .isInstanceOf(NotFoundException.class);
        assertThat(session.alive()).isFalse();
    }

    @Test
    void holdsTheSandboxPolicyInsideASession() throws Exception {
        SessionSandbox session = open();

        RunResult result = run(session, """
                cat(list.files('/sys/class/net'), length(readLines('/proc/net/route')) - 1, '\\n')
                cat(system('id -u', intern = TRUE), system('id -g', intern = TRUE), '\\n')
                cat(file.create('/usr/x', showWarnings = FALSE), '\\n')
                """);

        assertThat(result.stdout()).isEqualTo("lo 0 \n10001 10001 \nFALSE \n");
    }

    @Test
    void measuresOpeningAndTrivialExecs() throws Exception {
        long start = System.nanoTime();
        SessionSandbox session = open();
        Duration ready = Duration.ofNanos(System.nanoTime() - start);
        List<Long> micros = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            long execStart = System.nanoTime();
            assertThat(run(session, "cat(1)").stdout()).isEqualTo("1");
            micros.add((System.nanoTime() - execStart) / 1000);
        }
        Collections.sort(micros);

        System.out.printf("session open-to-ready %d ms; trivial exec p50 %.1f ms, p90 %.1f ms, max %.1f ms%n",
                ready.toMillis(), micros.get(24) / 1000.0, micros.get(44) / 1000.0, micros.get(49) / 1000.0);
    }

    private SessionSandbox open() throws InterruptedException {
        return open(SETTINGS, ENVIRONMENT.defaults());
    }

    private SessionSandbox open(Limits limits) throws InterruptedException {
        return open(SETTINGS, limits);
    }

    SessionSandbox open(SandboxProperties settings, Limits limits) throws InterruptedException {
        SessionSandbox session = SessionSandbox.open(docker, settings, ENVIRONMENT, limits, "s-" + workerId,
                Instant.now().plus(Duration.ofHours(1)), TestOwner.of(workerId));
        opened.add(session);
        return session;
    }

    static RunResult run(SessionSandbox session, String script) throws InterruptedException {
        ExecOutcome outcome = session.exec(script, TIMEOUT, RESULT_LIMITS, OutputListener.IGNORE);
        assertThat(outcome.ending()).as(outcome.reason()).isEqualTo(Ending.COMPLETED);
        return outcome.result();
    }
}
