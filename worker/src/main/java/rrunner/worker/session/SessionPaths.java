package rrunner.worker.session;

/**
 * The worker's own check of a workspace path, though the gateway checked it already: relative, POSIX, no {@code .}
 * or {@code ..} segment, no empty segment, no NUL or backslash. What passes names a place under the workspace as
 * far as the string goes; a symlink on the way is for the command inside the sandbox to refuse.
 */
final class SessionPaths {

    /** The gateway's own limit on a path's length. */
    static final int MAX_LENGTH = 1024;

    private SessionPaths() {
    }

    /**
     * {@code path} as the commands take it: {@code ./} in front, so no segment can read as an option.
     *
     * @throws IllegalArgumentException it could leave the workspace, or is no path at all
     */
    static String checked(String path) {
        if (!isSafe(path)) {
            throw new IllegalArgumentException("not a relative path inside the workspace: " + printable(path));
        }
        return "./" + path;
    }

    static boolean isSafe(String path) {
        if (path == null || path.isEmpty() || path.length() > MAX_LENGTH || path.startsWith("/")
                || path.indexOf('\0') >= 0 || path.indexOf('\\') >= 0) {
            return false;
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }

    private static String printable(String path) {
        if (path == null) {
            return "null";
        }
        String shown = path.length() > 80 ? path.substring(0, 80) + "..." : path;
        return "\"" + shown.replace("\0", "\\0") + "\"";
    }
}
