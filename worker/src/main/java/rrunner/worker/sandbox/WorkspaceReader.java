package rrunner.worker.sandbox;

import com.github.dockerjava.transport.DockerHttpClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import rrunner.common.job.JobSpec;

/**
 * Reads a finished script's workspace as one tar archive through the Docker API, parsed in memory, within a byte
 * budget and a deadline.
 *
 * <p>The archive is requested on docker-java's transport directly rather than through
 * {@code copyArchiveFromContainerCmd}: that command's stream, when closed, first reads the rest of the chunked body
 * so the connection can be reused, which for a sparse file of a petabyte never ends. Closing the transport's
 * response instead aborts the request and drops the connection, so whatever stops the read (the budget, the
 * deadline) ends dockerd's work on it too.
 */
final class WorkspaceReader {

    // why: tar headers and padding on top of the file bytes the workspace size already bounds
    private static final long ARCHIVE_OVERHEAD_BYTES = 1 << 20;
    private static final String ARCHIVE_PATH =
            "?path=" + URLEncoder.encode(ContainerFactory.WORKSPACE + "/.", StandardCharsets.UTF_8);

    /** One thread cuts overdue archive reads for every runner; it only ever closes responses. */
    private static final ScheduledExecutorService DEADLINES = Executors.newSingleThreadScheduledExecutor(
            daemon(new CustomizableThreadFactory("archive-deadline-")));

    private final DockerHttpClient http;
    private final long readBudget;
    private final Duration deadline;
    private final ArtifactMetrics metrics;

    WorkspaceReader(DockerHttpClient http, SandboxProperties settings, ArtifactMetrics metrics) {
        this.http = http;
        this.readBudget = settings.workspaceSize().toBytes() + ARCHIVE_OVERHEAD_BYTES;
        this.deadline = settings.collectTimeout();
        this.metrics = metrics;
    }

    /**
     * Call once the script's exec ended and the container is frozen ({@link ContainerFactory#freeze}), so no leftover
     * process writes while the archive streams; the container must still exist, since the workspace dies with it.
     *
     * @param job the job's entry: a cancel closes the archive stream at once, and the read ends with what it had
     */
    ArtifactArchive.Contents read(String containerId, JobSpec spec, RunningJobs.Entry job) {
        DockerHttpClient.Request request = DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.GET)
                .path("/containers/" + containerId + "/archive" + ARCHIVE_PATH)
                .build();
        AtomicBoolean cut = new AtomicBoolean();
        DockerHttpClient.Response response;
        try {
            response = http.execute(request);
        } catch (RuntimeException e) {
            throw SandboxUnavailableException.of("reading the workspace", e);
        }
        if (!job.reading(response)) {
            response.close();
            return ArtifactArchive.Contents.empty();
        }
        ScheduledFuture<?> cutter = DEADLINES.schedule(() -> {
            cut.set(true);
            response.close();
        }, deadline.toMillis(), TimeUnit.MILLISECONDS);
        try (response) {
            if (response.getStatusCode() != 200) {
                throw new SandboxUnavailableException(
                        "reading the workspace failed: Docker answered " + response.getStatusCode());
            }
            InputStream tar = response.getBody();
            ArtifactArchive.Contents contents = ArtifactArchive.read(tar, spec.maxArtifactCount(),
                    spec.maxArtifactBytes(), readBudget, () -> cut.get() || job.cancelled(), spec.files());
            metrics.record(contents.skipped());
            return contents;
        } catch (SandboxUnavailableException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new SandboxUnavailableException("reading the workspace failed: " + e.getMessage(), e);
        } finally {
            job.reading(null);
            cutter.cancel(false);
        }
    }

    private static CustomizableThreadFactory daemon(CustomizableThreadFactory factory) {
        factory.setDaemon(true);
        return factory;
    }
}
