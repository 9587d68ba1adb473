package rrunner.common.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.resilience4j.core.IntervalFunction;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import rrunner.common.job.JobRecord;
import rrunner.common.job.JobSpec;
import rrunner.common.job.JobState;
import rrunner.common.job.Limits;
import rrunner.common.queue.WorkerRegistry.Heartbeat;
import rrunner.common.session.FileReply;
import rrunner.common.session.FileRequest;
import rrunner.common.session.SessionId;
import rrunner.common.session.SessionRecord;
import rrunner.common.session.SessionRefusedException;
import rrunner.common.session.SessionRefusedException.Kind;
import rrunner.common.session.SessionSpec;
import rrunner.common.session.SessionState;
import rrunner.common.testing.Jobs;
import rrunner.common.testing.RedisClientExtension;
import rrunner.common.testing.RedisTestContainer;

/** The session scripts against a real Redis: caps counted atomically, one exec at a time, and every way to end. */
@Testcontainers
class SessionStoreIT {

    @Container
    static final GenericContainer<?> REDIS = RedisTestContainer.create();
    @RegisterExtension
    static final RedisClientExtension REDIS_CLIENT = RedisClientExtension.emptyingBeforeEach(REDIS);

    private static final String OWNER = "default";
    private static final Duration BEAT = Duration.ofSeconds(5);
    private static final Duration LIFETIME = Duration.ofHours(1);
    private static final SessionSpec SPEC = new SessionSpec("r-base", new Limits(30, 512, 1), 600, Map.of("k", "v"));

    private final RedisKeys keys = new RedisKeys("test");
    private final QueuePolicy policy = new QueuePolicy(3, 0, Duration.ofSeconds(15), Duration.ofMinutes(5),
            IntervalFunction.of(Duration.ofMillis(1)), 1000);
    private SessionStore sessions;
    private JobQueue queue;
    private WorkerRegistry workers;
    private RedisCommands<String, String> redis;
    private final ExecutorService pool = Executors.newFixedThreadPool(20);

    @BeforeEach
    void newStore() {
        redis = REDIS_CLIENT.sync();
        sessions = new SessionStore(keys, policy, REDIS_CLIENT.reactive());
        queue = new JobQueue(keys, policy, REDIS_CLIENT.reactive());
        workers = new WorkerRegistry(keys, REDIS_CLIENT.reactive());
    }

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    @Test
    void twentyParallelOpensAgainstACapOfFiveGiveExactlyFive() {
        beat("w1", 100);

        List<CompletableFuture<Boolean>> opens = IntStream.range(0, 20)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> {
                    try {
                        sessions.open(SessionId.random(), OWNER, SPEC, LIFETIME, 5, BEAT.multipliedBy(3)).block();
                        return true;
                    } catch (SessionRefusedException e) {
                        assertThat(e.kind()).isEqualTo(Kind.OWNER_LIMIT);
                        assertThat(e.limit()).isEqualTo(5);
                        assertThat(e.current()).isEqualTo(5);
                        return false;
                    }
                }, pool))
                .toList();

        assertThat(opens.stream().filter(CompletableFuture::join).count()).isEqualTo(5);
        assertThat(redis.scard(keys.liveSessions())).isEqualTo(5);
    }

    @Test
    void theFleetHasRoomOnlyForWhatLiveWorkersMayHold() {
        beat("w1", 1);
        sessions.open(SessionId.random(), OWNER, SPEC, LIFETIME, 10, BEAT.multipliedBy(3)).block();

        assertThatThrownBy(() -> sessions.open(SessionId.random(), "other", SPEC, LIFETIME, 10,
                BEAT.multipliedBy(3)).block())
                .isInstanceOfSatisfying(SessionRefusedException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.FLEET_LIMIT);
                    assertThat(e.limit()).isEqualTo(1);
                    assertThat(e.current()).isEqualTo(1);
                });
    }

    @Test
    void aWorkerTakesTheStartAndMakesItReadyWithAnExpiryNeverPastTheHardEnd() {
        beat("w1", 2);
        SessionRecord opened = open();
        assertThat(opened.state()).isEqualTo(SessionState.STARTING);
        assertThat(opened.maxExpiresAt()).isEqualTo(opened.createdAt().plus(LIFETIME));

        ClaimedSession claimed = sessions.claimOpen("w1").block();
        assertThat(claimed.id()).isEqualTo(opened.id());
        assertThat(claimed.spec()).isEqualTo(SPEC);
        assertThat(claimed.maxExpiresAt()).isEqualTo(opened.maxExpiresAt());
        assertThat(sessions.claimOpen("w2").blockOptional()).isEmpty();
        assertThat(sessions.ready(opened.id(), "w1", "sha256:abc").block()).isTrue();

        SessionRecord ready = sessions.find(opened.id()).block();
        assertThat(ready.state()).isEqualTo(SessionState.READY);
        assertThat(ready.worker()).isEqualTo("w1");
        assertThat(ready.imageId()).isEqualTo("sha256:abc");
        assertThat(ready.expiresAt()).isEqualTo(ready.lastUsedAt().plusSeconds(600));
        assertThat(sessions.onWorker("w1").collectList().block()).containsExactly(opened.id());
    }

    @Test
    void aSecondExecIsRefusedWhileTheFirstRunsAndTheEndOfTheFirstFreesTheSession() {
        SessionRecord session = readyOn("w1");

        JobRecord first = queue.enqueueSessionExec(exec(session), OWNER).block();
        assertThatThrownBy(() -> queue.enqueueSessionExec(exec(session), OWNER).block())
                .isInstanceOfSatisfying(SessionRefusedException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.BUSY);
                    assertThat(e.state()).isEqualTo(SessionState.BUSY);
                });
        assertThat(queue.claim("w1").blockOptional()).as("the shared queue never sees an exec").isEmpty();
        ClaimedJob claimed = queue.claimSessionExec("w1").block();
        assertThat(claimed.id()).isEqualTo(first.id());
        assertThat(claimed.maxAttempts()).isEqualTo(1);
        queue.finish(claimed, JobState.SUCCEEDED, Jobs.aSuccessfulResult("42")).block();

        SessionRecord after = sessions.find(session.id()).block();
        assertThat(after.state()).isEqualTo(SessionState.READY);
        assertThat(after.execCount()).isEqualTo(1);
        assertThat(after.currentJob()).isNull();
        assertThat(after.lastUsedAt()).isAfterOrEqualTo(session.lastUsedAt());
        assertThat(queue.enqueueSessionExec(exec(session), OWNER).block()).isNotNull();
    }

    @Test
    void cancellingAQueuedExecFreesTheSessionWithoutCountingAnExec() {
        SessionRecord session = readyOn("w1");
        JobRecord exec = queue.enqueueSessionExec(exec(session), OWNER).block();

        assertThat(queue.cancel(exec.id()).block()).isEqualTo(JobState.CANCELLED);

        SessionRecord after = sessions.find(session.id()).block();
        assertThat(after.state()).isEqualTo(SessionState.READY);
        assertThat(after.execCount()).isZero();
    }

    @Test
    void anotherOwnersSessionReadsAsUnknown() {
        SessionRecord session = readyOn("w1");

        assertThat(sessions.findOwned(session.id(), "someone-else").blockOptional()).isEmpty();
        assertThatThrownBy(() -> queue.enqueueSessionExec(exec(session), "someone-else").block())
                .isInstanceOfSatisfying(SessionRefusedException.class,
                        e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND));
        assertThatThrownBy(() -> sessions.keepalive(session.id(), "someone-else").block())
                .isInstanceOf(SessionRefusedException.class);
        assertThatThrownBy(() -> sessions.end(session.id(), SessionState.DELETED, "deleted",
                SessionStore.Condition.ALWAYS, "someone-else").block())
                .isInstanceOf(SessionRefusedException.class);
        assertThat(sessions.find(session.id()).block().state()).isEqualTo(SessionState.READY);
    }

    @Test
    void aDeletedSessionSaysSoCancelsItsQueuedExecAndFreesItsSlots() {
        SessionRecord session = readyOn("w1");
        JobRecord exec = queue.enqueueSessionExec(exec(session), OWNER).block();

        assertThat(sessions.end(session.id(), SessionState.DELETED, "deleted by its owner",
                SessionStore.Condition.ALWAYS, OWNER).block()).isEqualTo(SessionState.BUSY);

        SessionRecord ended = sessions.find(session.id()).block();
        assertThat(ended.state()).isEqualTo(SessionState.DELETED);
        assertThat(ended.reason()).isEqualTo("deleted by its owner");
        JobRecord cancelled = queue.find(exec.id()).block();
        assertThat(cancelled.state()).isEqualTo(JobState.CANCELLED);
        assertThat(cancelled.errors()).singleElement().satisfies(error ->
                assertThat(error.message()).isEqualTo("session deleted: deleted by its owner"));
        assertThat(redis.scard(keys.liveSessions())).isZero();
        assertThat(redis.scard(keys.liveSessionsOf(OWNER))).isZero();
        assertThat(redis.scard(keys.workerSessions("w1"))).isZero();
        assertThat(redis.ttl(keys.session(session.id()))).isPositive();
        assertThatThrownBy(() -> queue.enqueueSessionExec(exec(session), OWNER).block())
                .isInstanceOfSatisfying(SessionRefusedException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.ENDED);
                    assertThat(e.state()).isEqualTo(SessionState.DELETED);
                    assertThat(e.reason()).isEqualTo("deleted by its owner");
                });
        assertThat(sessions.end(session.id(), SessionState.DELETED, "again", SessionStore.Condition.ALWAYS, OWNER)
                .blockOptional()).as("an ended session ends once").isEmpty();
    }

    @Test
    void onlyAnIdleSessionPastItsExpiryExpires() {
        SessionSpec shortLived = new SessionSpec("r-base", new Limits(30, 512, 1), 1, Map.of());
        beat("w1", 2);
        SessionRecord session = sessions.open(SessionId.random(), OWNER, shortLived, LIFETIME, 10,
                BEAT.multipliedBy(3)).block();
        sessions.claimOpen("w1").block();
        sessions.ready(session.id(), "w1", "sha256:abc").block();

        assertThat(sessions.end(session.id(), SessionState.EXPIRED, "", SessionStore.Condition.IDLE, null)
                .blockOptional()).as("not yet idle for a second").isEmpty();
        redis.hset(keys.session(session.id()), "expires_at", "1");

        assertThat(sessions.end(session.id(), SessionState.EXPIRED, "", SessionStore.Condition.IDLE, null).block())
                .isEqualTo(SessionState.READY);
        assertThat(sessions.find(session.id()).block().reason()).isEqualTo("idle for longer than its ttl of 1 s");
    }

    @Test
    void keepaliveExtendsTheIdleTimeButNeverPastTheHardEnd() {
        SessionRecord session = readyOn("w1");
        redis.hset(keys.session(session.id()), "max_expires_at",
                Long.toString(session.lastUsedAt().plusSeconds(10).toEpochMilli()));

        Instant expires = sessions.keepalive(session.id(), OWNER).block();

        assertThat(expires).isEqualTo(session.lastUsedAt().plusSeconds(10));
    }

    @Test
    void theSessionsOfAWorkerThatStoppedBeatingAreLostAndItsLaneDropped() {
        SessionRecord session = readyOn("w1");
        JobRecord exec = queue.enqueueSessionExec(exec(session), OWNER).block();
        SessionRecord other = readyOn("w2");

        redis.del(keys.worker("w1"));
        assertThat(sessions.rescueLost().block()).isEqualTo(1);

        SessionRecord lost = sessions.find(session.id()).block();
        assertThat(lost.state()).isEqualTo(SessionState.LOST);
        assertThat(lost.reason()).isEqualTo("its worker w1 stopped sending heartbeats");
        assertThat(queue.find(exec.id()).block().state()).isEqualTo(JobState.CANCELLED);
        assertThat(redis.exists(keys.workerLane("w1"))).isZero();
        assertThat(sessions.find(other.id()).block().state()).isEqualTo(SessionState.READY);
    }

    @Test
    void aStartNoWorkerTookCanBeAbandonedButNotOneAWorkerTook() {
        beat("w1", 2);
        SessionRecord taken = open();
        sessions.claimOpen("w1").block();
        SessionRecord waiting = open();

        assertThat(sessions.end(taken.id(), SessionState.LOST, "no worker", SessionStore.Condition.UNCLAIMED, null)
                .blockOptional()).isEmpty();
        assertThat(sessions.end(waiting.id(), SessionState.LOST, "no worker", SessionStore.Condition.UNCLAIMED,
                null).block()).isEqualTo(SessionState.STARTING);
        assertThat(sessions.claimOpen("w1").blockOptional()).as("the abandoned start is skipped").isEmpty();
    }

    @Test
    void theOwnersListHasLiveAndEndedSessionsAndForgetsWhatRedisForgot() {
        SessionRecord first = readyOn("w1");
        SessionRecord second = readyOn("w1");
        sessions.end(second.id(), SessionState.DELETED, "deleted", SessionStore.Condition.ALWAYS, OWNER).block();
        SessionRecord third = readyOn("w1");
        redis.del(keys.session(third.id()));

        assertThat(sessions.listOwned(OWNER).map(SessionRecord::id).collectList().block())
                .containsExactly(first.id(), second.id());
        assertThat(redis.zcard(keys.sessionsOf(OWNER))).isEqualTo(2);
    }

    @Test
    void aSessionSavedOnShutdownIsRestoredByAnotherWorkerKeepingItsExpiry() {
        SessionRecord session = readyOn("w1");
        beat("w2", 10);
        byte[] snapshot = {1, 2, 3, (byte) 0xff};

        assertThat(sessions.move(session.id(), "w1", snapshot, Instant.now().plusSeconds(60)).block()).isTrue();

        SessionRecord moving = sessions.find(session.id()).block();
        assertThat(moving.state()).isEqualTo(SessionState.STARTING);
        assertThat(moving.worker()).isNull();
        assertThat(redis.sismember(keys.workerSessions("w1"), session.id().value())).isFalse();
        ClaimedSession claimed = sessions.claimOpen("w2").block();
        assertThat(claimed.id()).isEqualTo(session.id());
        assertThat(claimed.restore()).isTrue();
        assertThat(sessions.snapshot(session.id()).block()).isEqualTo(snapshot);
        assertThat(sessions.ready(session.id(), "w2", "sha256:def").block()).isTrue();
        SessionRecord restored = sessions.find(session.id()).block();
        assertThat(restored.state()).isEqualTo(SessionState.READY);
        assertThat(restored.worker()).isEqualTo("w2");
        assertThat(restored.expiresAt()).isEqualTo(session.expiresAt());
        assertThat(sessions.snapshot(session.id()).blockOptional()).isEmpty();
        assertThat(sessions.rescueLost().block()).isZero();
    }

    @Test
    void anExecQueuedInAMovingSessionRunsOnTheWorkerThatRestoredIt() {
        SessionRecord session = readyOn("w1");
        JobRecord exec = queue.enqueueSessionExec(exec(session), OWNER).block();
        beat("w2", 10);

        assertThat(sessions.move(session.id(), "w1", new byte[] {1}, Instant.now().plusSeconds(60)).block()).isTrue();
        sessions.claimOpen("w2").block();
        sessions.ready(session.id(), "w2", "sha256:def").block();

        assertThat(queue.claimSessionExec("w1").blockOptional()).isEmpty();
        assertThat(sessions.find(session.id()).block().state()).isEqualTo(SessionState.BUSY);
        assertThat(queue.claimSessionExec("w2").block().id()).isEqualTo(exec.id());
    }

    @Test
    void aRunningExecKeepsItsSessionFromMoving() {
        SessionRecord session = readyOn("w1");
        queue.enqueueSessionExec(exec(session), OWNER).block();
        queue.claimSessionExec("w1").block();

        assertThat(sessions.move(session.id(), "w1", new byte[] {1}, Instant.now().plusSeconds(60)).block())
                .isFalse();

        assertThat(sessions.find(session.id()).block().state()).isEqualTo(SessionState.BUSY);
        assertThat(redis.exists(keys.sessionSnapshot(session.id()))).isZero();
    }

    @Test
    void aMovingSessionNoWorkerRestoredByItsDeadlineIsLost() {
        SessionRecord session = readyOn("w1");

        sessions.move(session.id(), "w1", new byte[] {1}, Instant.now().minusMillis(1)).block();
        assertThat(sessions.rescueLost().block()).isEqualTo(1);

        SessionRecord lost = sessions.find(session.id()).block();
        assertThat(lost.state()).isEqualTo(SessionState.LOST);
        assertThat(lost.reason()).isEqualTo("no worker took it over after its worker shut down");
        assertThat(redis.exists(keys.sessionSnapshot(session.id()))).isZero();
        assertThat(sessions.claimOpen("w1").blockOptional()).isEmpty();
    }

    @Test
    void aWorkerTakesAtMostSoManyFileRequestsWaitingAndAnswersThemByPublishedReplies() {
        SessionRecord session = readyOn("w1");
        for (int i = 0; i < SessionStore.MAX_FILE_REQUESTS_WAITING; i++) {
            sessions.requestFile(fileRequest(session, "f" + i), OWNER).block();
        }

        assertThatThrownBy(() -> sessions.requestFile(fileRequest(session, "one-more"), OWNER).block())
                .isInstanceOfSatisfying(SessionRefusedException.class,
                        e -> assertThat(e.kind()).isEqualTo(Kind.FILES_BACKLOG));
        FileRequest first = sessions.takeFileRequest("w1").block();
        assertThat(first.path()).isEqualTo("f0");
        sessions.replyToFile(first, FileReply.done()).block();
        assertThat(sessions.fileReply(first.id()).block().outcome()).isEqualTo(FileReply.Outcome.DONE);
        assertThat(sessions.takeFileRequest("w2").blockOptional()).isEmpty();
    }

    @Test
    void aFileRequestForAnotherOwnersOrAnEndedSessionIsRefused() {
        SessionRecord session = readyOn("w1");

        assertThatThrownBy(() -> sessions.requestFile(fileRequest(session, "a"), "someone-else").block())
                .isInstanceOfSatisfying(SessionRefusedException.class,
                        e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND));
        sessions.end(session.id(), SessionState.DELETED, "deleted", SessionStore.Condition.ALWAYS, OWNER).block();
        assertThatThrownBy(() -> sessions.requestFile(fileRequest(session, "a"), OWNER).block())
                .isInstanceOfSatisfying(SessionRefusedException.class,
                        e -> assertThat(e.kind()).isEqualTo(Kind.ENDED));
        assertThat(sessions.takeFileRequest("w1").blockOptional()).isEmpty();
    }

    private static FileRequest fileRequest(SessionRecord session, String path) {
        return new FileRequest(UUID.randomUUID().toString(), session.id().value(), FileRequest.Action.PUT, path,
                new byte[] {1}, 0, Instant.now().plusSeconds(30));
    }

    private SessionRecord open() {
        return sessions.open(SessionId.random(), OWNER, SPEC, LIFETIME, 10, BEAT.multipliedBy(3)).block();
    }

    private SessionRecord readyOn(String worker) {
        beat(worker, 10);
        SessionRecord opened = open();
        ClaimedSession claimed = sessions.claimOpen(worker).block();
        assertThat(claimed.id()).isEqualTo(opened.id());
        sessions.ready(opened.id(), worker, "sha256:abc").block();
        return sessions.find(opened.id()).block();
    }

    private void beat(String worker, int sessionSlots) {
        workers.beat(new Heartbeat(worker, 2, 0, Instant.now(), "r-base", "test", Map.of(), sessionSlots, 0), BEAT)
                .block();
    }

    private static JobSpec exec(SessionRecord session) {
        return new JobSpec("cat(1)", 30, 10, 5_000_000, JobSpec.DEFAULT_MAX_RESULT_BYTES, "r-base", 512, 1,
                List.of(), session.id().value());
    }
}
