package rrunner.worker.sandbox;

import com.github.dockerjava.transport.DockerHttpClient;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The workspace directory's own stat as Docker reports it (size, mode, modification time), read without touching
 * any file in it: creating, removing or renaming anything in the workspace changes it. A run whose workspace stamp
 * is what it was before the script ran, and that placed no input files, has nothing to collect, so it skips the
 * freeze, the archive read and the thaw.
 *
 * <p>why a {@code HEAD} of the archive endpoint: Docker answers it with the stat alone in a few milliseconds, where a
 * {@code GET} of even an empty workspace costs about 90 ms, most of it a tar process dockerd starts for the read.
 * docker-java's request builder has no {@code HEAD}, but its transport sends whatever method a request names.
 *
 * <p>A script that sets the workspace's time back after writing files only hides its own files from itself; the
 * stamp never makes the worker read more, so it is not a way out of any bound.
 */
final class WorkspaceStamps {

    private static final String STAT_HEADER = "X-Docker-Container-Path-Stat";
    private static final String STAT_PATH =
            "?path=" + URLEncoder.encode(ContainerFactory.WORKSPACE, StandardCharsets.UTF_8);

    private final DockerHttpClient http;

    WorkspaceStamps(DockerHttpClient http) {
        this.http = http;
    }

    /** The workspace's stamp, or null when Docker gave none: then the workspace is read as usual. */
    String of(String containerId) {
        try (DockerHttpClient.Response response = http.execute(new Head("/containers/" + containerId + "/archive"
                + STAT_PATH))) {
            return response.getStatusCode() == 200 ? response.getHeader(STAT_HEADER) : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Whether {@code before}, taken before the script ran, shows the workspace unchanged now. */
    boolean unchanged(String containerId, String before) {
        return before != null && before.equals(of(containerId));
    }

    private static final class Head extends DockerHttpClient.Request {

        private final String path;

        Head(String path) {
            this.path = path;
        }

        @Override
        public String method() {
            return "HEAD";
        }

        @Override
        public String path() {
            return path;
        }

        @Override
        public byte[] bodyBytes() {
            return null;
        }

        @Override
        public InputStream hijackedInput() {
            return null;
        }

        @Override
        public Map<String, String> headers() {
            return Map.of();
        }
    }
}
