package rrunner.worker.session;

import java.time.Duration;
import rrunner.worker.sandbox.OutputListener;

/**
 * What of a session can move to another worker, and how it is put back: R saves its global environment's objects,
 * the attached packages in search order and the working directory into the workspace, and the workspace goes as one
 * tar archive. Both steps run inside the sandboxes, as the sandbox user. What cannot move: open connections and
 * external pointers (they come back invalid), options, random-number state set without a seed, loaded but
 * unattached namespaces, and anything outside the workspace ({@code /tmp}).
 */
final class SessionSnapshot {

    private static final String DIR = "/workspace/.rrunner-move";
    // why base:: everywhere: the script runs among the caller's objects, which may shadow any of these names
    private static final String SAVE = "base::local({ d <- '" + DIR + "'; base::dir.create(d, showWarnings = FALSE); "
            + "base::save(list = base::ls(base::globalenv(), all.names = TRUE), envir = base::globalenv(), "
            + "file = base::file.path(d, 'objects.RData')); "
            + "base::writeLines(base::rev(base::.packages()), base::file.path(d, 'packages')); "
            + "base::writeLines(base::getwd(), base::file.path(d, 'wd')) }, "
            + "envir = base::new.env(parent = base::baseenv()))";
    private static final String RESTORE = "base::local({ d <- '" + DIR + "'; "
            + "base::load(base::file.path(d, 'objects.RData'), envir = base::globalenv()); "
            + "for (p in base::readLines(base::file.path(d, 'packages'))) "
            + "base::suppressPackageStartupMessages(base::library(p, character.only = TRUE)); "
            + "base::setwd(base::readLines(base::file.path(d, 'wd'))); base::unlink(d, recursive = TRUE) }, "
            + "envir = base::new.env(parent = base::baseenv()))";
    private static final String EXTRACT = "head -c \"$1\" | tar -x -f - --no-same-owner";
    private static final Duration SAVE_TIMEOUT = Duration.ofSeconds(60);
    /** Attaching packages again is most of it: a large set takes tens of seconds on a busy machine. */
    private static final Duration RESTORE_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration ARCHIVE_TIMEOUT = Duration.ofSeconds(60);
    /** Neither step returns files: the archive is read apart, and what R wrote is removed again. */
    private static final ResultLimits NO_FILES = new ResultLimits(0, 0, 1_000_000);

    private SessionSnapshot() {
    }

    /**
     * The session's state as a tar archive of its workspace, R's part saved into it first.
     *
     * @throws SessionNotMovableException R could not save it, or the archive is over {@code maxBytes}
     */
    static byte[] take(SessionSandbox sandbox, SandboxCommand command, long maxBytes) throws InterruptedException {
        ExecOutcome saved = sandbox.exec(SAVE, SAVE_TIMEOUT, NO_FILES, OutputListener.IGNORE);
        if (saved.ending() != ExecOutcome.Ending.COMPLETED || saved.result().exitCode() != 0) {
            throw new SessionNotMovableException("R could not save its objects: " + why(saved));
        }
        SandboxCommand.Result archive = command.run(ARCHIVE_TIMEOUT, maxBytes, null, "tar", "-c", "-f", "-",
                "--format=posix", ".");
        if (archive.cut()) {
            throw new SessionNotMovableException("its workspace and objects are over " + maxBytes
                    + " bytes (SESSION_MOVE_MAX_BYTES)");
        }
        if (!archive.succeeded()) {
            throw new SessionNotMovableException("archiving its workspace failed: " + archive.stderr());
        }
        return archive.stdout();
    }

    /**
     * Puts a session taken by {@link #take} back into this fresh sandbox.
     *
     * @throws SessionNotMovableException the archive or R's state could not be restored
     */
    static void restore(SessionSandbox sandbox, SandboxCommand command, byte[] snapshot) throws InterruptedException {
        SandboxCommand.Result extracted = command.run(ARCHIVE_TIMEOUT, 0, snapshot, "sh", "-c", EXTRACT, "sh",
                Integer.toString(snapshot.length));
        if (!extracted.succeeded()) {
            throw new SessionNotMovableException("its workspace could not be restored: " + extracted.stderr());
        }
        ExecOutcome restored = sandbox.exec(RESTORE, RESTORE_TIMEOUT, NO_FILES, OutputListener.IGNORE);
        if (restored.ending() != ExecOutcome.Ending.COMPLETED || restored.result().exitCode() != 0) {
            throw new SessionNotMovableException("R could not restore its objects: " + why(restored));
        }
    }

    private static String why(ExecOutcome outcome) {
        return outcome.ending() == ExecOutcome.Ending.COMPLETED ? outcome.result().stderr().strip()
                : outcome.ending().name().toLowerCase() + (outcome.reason() == null ? "" : " (" + outcome.reason()
                        + ")");
    }
}
