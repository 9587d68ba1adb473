package rrunner.gateway.run;

import java.util.Optional;

/**
 * The rules for an input file's path: relative POSIX, each segment of letters, digits, {@code .}, {@code _} and
 * {@code -}, never {@code .} or {@code ..}, no empty segment. Written as an allow-list, so an encoded form of a
 * forbidden one ({@code %2e%2e}, a full-width dot) is refused for its characters rather than decoded by anyone.
 */
public final class InputFilePath {

    /** The longest path taken; the request body cap allows for paths this long. */
    static final int MAX_LENGTH = 1024;
    /** Linux's NAME_MAX: a longer segment could not be created. */
    private static final int MAX_SEGMENT_LENGTH = 255;

    private InputFilePath() {
    }

    /** What is wrong with {@code path}, in words that say how to fix it; empty when it is a valid path. */
    public static Optional<String> problem(String path) {
        return problem(path, true);
    }

    /**
     * What is wrong with {@code path} as a name for a file already in a workspace, which R may have named with any
     * character: the same rules for its shape (relative, no {@code .} or {@code ..} segment, no empty one), but
     * only NUL, backslashes and control characters refused.
     */
    public static Optional<String> existingProblem(String path) {
        return problem(path, false);
    }

    private static Optional<String> problem(String path, boolean strict) {
        if (path.isEmpty()) {
            return Optional.of("path is empty");
        }
        if (path.length() > MAX_LENGTH) {
            return Optional.of("path is longer than " + MAX_LENGTH + " characters");
        }
        if (path.indexOf('\0') >= 0) {
            return Optional.of("path contains a NUL character");
        }
        if (path.indexOf('\\') >= 0) {
            return Optional.of("path contains a backslash; separate directories with /");
        }
        if (path.startsWith("/")) {
            return Optional.of("path is absolute; send it relative to the working directory, like data/in.csv");
        }
        for (String segment : path.split("/", -1)) {
            Optional<String> problem = segmentProblem(segment, strict);
            if (problem.isPresent()) {
                return problem;
            }
        }
        return Optional.empty();
    }

    private static Optional<String> segmentProblem(String segment, boolean strict) {
        if (segment.isEmpty()) {
            return Optional.of("path has an empty segment (// or a trailing /)");
        }
        if (segment.equals(".") || segment.equals("..")) {
            return Optional.of("path has a \"" + segment + "\" segment; each segment must name a file or directory "
                    + "inside the working directory");
        }
        if (segment.length() > MAX_SEGMENT_LENGTH) {
            return Optional.of("path has a segment longer than " + MAX_SEGMENT_LENGTH + " characters");
        }
        int bad = segment.codePoints().filter(c -> strict ? !isAllowed(c) : Character.isISOControl(c)).findFirst()
                .orElse(-1);
        if (bad >= 0) {
            return Optional.of("path contains " + String.format("U+%04X", bad)
                    + (Character.isISOControl(bad) ? "" : " (" + Character.toString(bad) + ")")
                    + (strict ? "; segments may only use letters A-Z and a-z, digits, '.', '_' and '-'"
                            : "; control characters name no file here"));
        }
        return Optional.empty();
    }

    private static boolean isAllowed(int c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_'
                || c == '-';
    }
}
