package rrunner.worker.session;

import rrunner.common.session.SessionFile;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.unit.DataSize;
import rrunner.common.job.SkippedArtifact;
import rrunner.common.job.SkippedArtifacts;
import rrunner.worker.sandbox.ArtifactArchive;
import rrunner.worker.sandbox.SandboxProperties;
import rrunner.worker.sandbox.SandboxUnavailableException;

/**
 * A session's workspace as its caller sees it: files put, read, listed, deleted, its allocated size, and the files
 * an exec changed. Everything is done by {@link SandboxCommand}s, as the sandbox user and inside the sandbox: after
 * the first script ran, its files may be anything (symlinks to {@code /}, FIFOs), so the worker never has Docker
 * (root) walk a path in it. Each command also checks that the path, symlinks resolved, stays in the workspace.
 */
final class SessionWorkspace {

    private static final Logger log = LoggerFactory.getLogger(SessionWorkspace.class);

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    private static final long MAX_LISTING_BYTES = DataSize.ofMegabytes(4).toBytes();
    // why: the paths go on tar's command line, which the kernel caps (ARG_MAX) well above this
    private static final int MAX_ARGUMENT_CHARS = 128 * 1024;
    private static final long ARCHIVE_OVERHEAD_BYTES = 1 << 20;

    private static final String INSIDE = "case \"$(realpath -m -- \"$d\")\" in /workspace|/workspace/*) ;; *) exit 3 ;; esac; ";
    private static final String PUT = "umask 077; d=$(dirname -- \"$1\"); " + INSIDE + "mkdir -p -- \"$d\" || exit 5; "
            + INSIDE + "if [ -d \"$1\" ] && [ ! -L \"$1\" ]; then exit 4; fi; rm -f -- \"$1\" || exit 5; "
            + "head -c \"$2\" > \"$1\" || { rm -f -- \"$1\"; exit 6; }";
    // why by message: head reports a full tmpfs only in its words, and a half-written file is removed either way
    private static final String NO_SPACE = "No space left on device";
    private static final String READ = "case \"$(realpath -e -- \"$1\" 2>/dev/null)\" in /workspace/*) ;; *) exit 3 ;; "
            + "esac; [ -f \"$1\" ] || exit 4; exec head -c \"$2\" -- \"$1\"";
    private static final String DELETE = "d=$(dirname -- \"$1\"); " + INSIDE
            + "if [ -e \"$1\" ] || [ -L \"$1\" ]; then exec rm -rf -- \"$1\"; fi; exit 1";

    private final SandboxCommand command;
    private final long readBudget;
    private final Duration collectTimeout;

    SessionWorkspace(SandboxCommand command, SandboxProperties settings) {
        this.command = command;
        this.readBudget = settings.workspaceSize().toBytes() + ARCHIVE_OVERHEAD_BYTES;
        this.collectTimeout = settings.collectTimeout();
    }

    void put(String path, byte[] content) throws InterruptedException {
        String checked = SessionPaths.checked(path);
        SandboxCommand.Result result = command.run(COMMAND_TIMEOUT, 0, content, "sh", "-c", PUT, "sh", checked,
                Integer.toString(content.length));
        if (result.succeeded()) {
            return;
        }
        if (Integer.valueOf(3).equals(result.exitCode())) {
            throw new IllegalArgumentException(path + " leads outside the workspace");
        }
        if (Integer.valueOf(4).equals(result.exitCode())) {
            throw new IllegalArgumentException(path + " is a directory");
        }
        if (Integer.valueOf(6).equals(result.exitCode()) && result.stderr().contains(NO_SPACE)) {
            throw new WorkspaceFullException(path, content.length);
        }
        throw new SandboxUnavailableException("writing " + path + " failed: " + describe(result));
    }

    Optional<byte[]> read(String path, long maxBytes) throws InterruptedException {
        String checked = SessionPaths.checked(path);
        SandboxCommand.Result result = command.run(COMMAND_TIMEOUT, maxBytes + 1, null, "sh", "-c", READ, "sh",
                checked, Long.toString(maxBytes + 1));
        if (result.exitCode() != null && (result.exitCode() == 3 || result.exitCode() == 4)) {
            return Optional.empty();
        }
        if (!result.succeeded()) {
            throw new SandboxUnavailableException("reading " + path + " failed: " + describe(result));
        }
        if (result.stdout().length > maxBytes || result.cut()) {
            throw new FileTooLargeException(path, maxBytes);
        }
        return Optional.of(result.stdout());
    }

    boolean delete(String path) throws InterruptedException {
        String checked = SessionPaths.checked(path);
        SandboxCommand.Result result = command.run(COMMAND_TIMEOUT, 0, null, "sh", "-c", DELETE, "sh", checked);
        if (result.succeeded()) {
            return true;
        }
        if (result.exitCode() != null && (result.exitCode() == 1 || result.exitCode() == 3)) {
            return false;
        }
        throw new SandboxUnavailableException("deleting " + path + " failed: " + describe(result));
    }

    /** Regular files and directories, symlinks not followed; at most {@value #MAX_LISTING_BYTES} bytes of listing. */
    List<SessionFile> list() throws InterruptedException {
        SandboxCommand.Result result = command.run(COMMAND_TIMEOUT, MAX_LISTING_BYTES, null, "find", ".",
                "-mindepth", "1", "(", "-type", "f", "-o", "-type", "d", ")", "-printf", "%y %s %T@ %P\\0");
        if (result.exitCode() == null) {
            throw new SandboxUnavailableException("listing the workspace did not end in time");
        }
        List<SessionFile> files = new ArrayList<>();
        String[] records = result.stdoutText().split("\0", -1);
        // why the last is left out: it is empty after the final NUL, or a record the cap cut in two
        for (String record : Arrays.asList(records).subList(0, records.length - 1)) {
            String[] fields = record.split(" ", 4);
            if (fields.length == 4) {
                files.add(new SessionFile(fields[3], fields[0].equals("d") ? SessionFile.DIRECTORY : SessionFile.FILE,
                        Long.parseLong(fields[1]), epoch(fields[2])));
            }
        }
        return files;
    }

    /** What the workspace's files occupy (its tmpfs's used blocks), not their apparent sizes. */
    long allocatedBytes() throws InterruptedException {
        SandboxCommand.Result result = command.run(COMMAND_TIMEOUT, 256, null, "stat", "-f", "-c", "%b %f %S",
                "/workspace");
        String[] fields = result.stdoutText().strip().split(" ");
        if (!result.succeeded() || fields.length != 3) {
            throw new SandboxUnavailableException("measuring the workspace failed: " + describe(result));
        }
        return (Long.parseLong(fields[0]) - Long.parseLong(fields[1])) * Long.parseLong(fields[2]);
    }

    /**
     * The files an exec changed, as its end marker names them, read through tar in the sandbox and the bounded
     * archive reader. When that fails, every file named is listed as unread rather than the exec failing.
     */
    ArtifactArchive.Contents changed(EndMarker end, ResultLimits limits) {
        if (limits.maxArtifactCount() == 0 || end.changed().isEmpty()) {
            return new ArtifactArchive.Contents(List.of(), Map.of(), new SkippedArtifacts());
        }
        List<String> argv = new ArrayList<>(List.of("tar", "-c", "-f", "-", "--format=posix", "--no-recursion"));
        int chars = 0;
        for (String path : end.changed()) {
            chars += path.length() + 3;
            if (chars > MAX_ARGUMENT_CHARS) {
                break;
            }
            if (SessionPaths.isSafe(path)) {
                argv.add("./" + path);
            }
        }
        try (FrameStream tar = command.stream(collectTimeout, argv.toArray(String[]::new))) {
            return ArtifactArchive.read(tar, limits.maxArtifactCount(), limits.maxArtifactBytes(), readBudget,
                    tar::stopped);
        } catch (IOException | RuntimeException e) {
            log.warn("reading the files an exec changed failed; they are listed as unread: {}", e.toString());
            SkippedArtifacts unread = new SkippedArtifacts();
            end.changed().forEach(path -> unread.add(path, SkippedArtifact.Reason.UNREAD, null));
            return new ArtifactArchive.Contents(List.of(), Map.of(), unread);
        }
    }

    private static Instant epoch(String seconds) {
        BigDecimal value = new BigDecimal(seconds);
        return Instant.ofEpochSecond(value.longValue(),
                value.subtract(new BigDecimal(value.longValue())).movePointRight(9).longValue());
    }

    private static String describe(SandboxCommand.Result result) {
        String stderr = result.stderr().isEmpty() ? "" : ": " + result.stderr();
        return (result.exitCode() == null ? "did not end in time" : "exit status " + result.exitCode()) + stderr;
    }
}
