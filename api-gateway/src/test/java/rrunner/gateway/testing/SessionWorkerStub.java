package rrunner.gateway.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import rrunner.common.job.JobState;
import rrunner.common.job.RunResult;
import rrunner.common.queue.JobQueue;
import rrunner.common.queue.SessionStore;
import rrunner.common.queue.WorkerRegistry;
import rrunner.common.queue.WorkerRegistry.Heartbeat;
import rrunner.common.session.FileReply;
import rrunner.common.session.FileRequest;
import rrunner.common.session.SessionFile;
import rrunner.common.testing.Jobs;

/**
 * Plays a worker that hosts sessions, through the real protocol on the same Redis: beats with room for
 * {@code slots} sessions, makes every session it takes ready at once, and finishes every exec queued on its lane
 * with the result {@code run} computes from the script. Its sessions share one workspace, a map of paths to bytes.
 */
public final class SessionWorkerStub implements AutoCloseable {

    public static final String WORKER_ID = "session-worker";
    public static final String IMAGE_ID = "sha256:stub";
    private static final Duration POLL_INTERVAL = Duration.ofMillis(10);

    private final Disposable loop;
    private final Map<String, byte[]> workspace = new ConcurrentHashMap<>();
    private final AtomicInteger fileRequests = new AtomicInteger();

    private SessionWorkerStub(JobQueue queue, SessionStore sessions, WorkerRegistry workers, int slots,
            boolean startsSessions, Function<String, RunResult> run) {
        workers.beat(new Heartbeat(WORKER_ID, 1, 0, Instant.now(), "r-base", "test", Map.of(), slots, 0),
                Duration.ofMinutes(1)).block(Duration.ofSeconds(5));
        Flux<Object> opens = startsSessions
                ? sessions.claimOpen(WORKER_ID).expand(claimed -> sessions.claimOpen(WORKER_ID))
                        .concatMap(claimed -> sessions.ready(claimed.id(), WORKER_ID, IMAGE_ID)).cast(Object.class)
                : Flux.empty();
        this.loop = Flux.interval(POLL_INTERVAL)
                .onBackpressureDrop()
                .concatMap(tick -> opens.thenMany(sessions.takeFileRequest(WORKER_ID)
                                .expand(request -> sessions.takeFileRequest(WORKER_ID))
                                .concatMap(request -> sessions.replyToFile(request, answer(request))))
                        .thenMany(queue.claimSessionExec(WORKER_ID)
                        .expand(job -> queue.claimSessionExec(WORKER_ID))
                        .concatMap(job -> {
                            RunResult result = run.apply(job.spec().script());
                            return queue.finish(job, JobState.of(result), result, Jobs.someTimings());
                        })))
                .subscribe();
    }

    /** Hosts up to {@code slots} sessions and answers each exec with what {@code run} makes of its script. */
    public static SessionWorkerStub hosting(JobQueue queue, SessionStore sessions, WorkerRegistry workers, int slots,
            Function<String, RunResult> run) {
        return new SessionWorkerStub(queue, sessions, workers, slots, true, run);
    }

    /** Says it has room for sessions but never starts one, as a worker stuck on Docker does. */
    public static SessionWorkerStub neverStarting(JobQueue queue, SessionStore sessions, WorkerRegistry workers) {
        return new SessionWorkerStub(queue, sessions, workers, 10, false, script -> null);
    }

    /** How many file requests reached this worker. */
    public int fileRequests() {
        return fileRequests.get();
    }

    private FileReply answer(FileRequest request) {
        fileRequests.incrementAndGet();
        return switch (request.action()) {
            case PUT -> {
                workspace.put(request.path(), request.content());
                yield FileReply.done();
            }
            case GET -> workspace.containsKey(request.path())
                    ? new FileReply(FileReply.Outcome.DONE, "", workspace.get(request.path()), List.of())
                    : FileReply.refused(FileReply.Outcome.MISSING, "no such file");
            case DELETE -> workspace.remove(request.path()) != null ? FileReply.done()
                    : FileReply.refused(FileReply.Outcome.MISSING, "no such file");
            case LIST -> new FileReply(FileReply.Outcome.DONE, "", null, workspace.entrySet().stream()
                    .map(file -> new SessionFile(file.getKey(), SessionFile.FILE, file.getValue().length,
                            Instant.EPOCH))
                    .toList());
        };
    }

    @Override
    public void close() {
        loop.dispose();
    }
}
