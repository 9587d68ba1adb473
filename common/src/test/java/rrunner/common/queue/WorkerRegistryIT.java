package rrunner.common.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import rrunner.common.queue.WorkerRegistry.Heartbeat;
import rrunner.common.queue.WorkerRegistry.LiveWorker;
import rrunner.common.testing.RedisClientExtension;
import rrunner.common.testing.RedisTestContainer;

@Testcontainers
class WorkerRegistryIT {

    @Container
    static final GenericContainer<?> REDIS = RedisTestContainer.create();
    @RegisterExtension
    static final RedisClientExtension REDIS_CLIENT = RedisClientExtension.emptyingBeforeEach(REDIS);

    private static final Duration INTERVAL = Duration.ofSeconds(5);
    private static final Duration MAX_AGE = WorkerRegistry.maxAge(INTERVAL);
    private static final Instant STARTED = Instant.parse("2026-01-02T03:04:05.678Z");

    private final RedisKeys keys = new RedisKeys("test");
    private WorkerRegistry registry;
    private RedisCommands<String, String> redis;

    @BeforeEach
    void newRegistry() {
        redis = REDIS_CLIENT.sync();
        registry = new WorkerRegistry(keys, REDIS_CLIENT.reactive());
    }

    @Test
    void aHeartbeatMakesTheWorkerLiveWithItsFigures() {
        Instant before = redisNow();

        Instant beat = registry.beat(heartbeat("w1", 1), INTERVAL).block();

        List<LiveWorker> live = registry.liveWorkers(MAX_AGE).block();
        assertThat(live).containsExactly(new LiveWorker(heartbeat("w1", 1), beat));
        assertThat(beat).isBetween(before, redisNow());
        assertThat(live.get(0).heartbeat().free()).isEqualTo(3);
        assertThat(redis.zscore(keys.workers(), "w1")).isEqualTo((double) beat.toEpochMilli());
        assertThat(redis.hgetall(keys.worker("w1")))
                .containsEntry("concurrency", "4").containsEntry("busy", "1").containsEntry("free", "3")
                .containsEntry("image", "r-base:1").containsEntry("version", "1.2.3")
                .containsEntry("started_at", Long.toString(STARTED.toEpochMilli()));
    }

    @Test
    void aLaterHeartbeatReplacesTheFigures() {
        registry.beat(heartbeat("w1", 1), INTERVAL).block();
        Instant second = registry.beat(heartbeat("w1", 4), INTERVAL).block();

        assertThat(registry.liveWorkers(MAX_AGE).block()).singleElement().satisfies(worker -> {
            assertThat(worker.heartbeat().busy()).isEqualTo(4);
            assertThat(worker.heartbeat().free()).isZero();
            assertThat(worker.lastHeartbeat()).isEqualTo(second);
        });
    }

    @Test
    void listsLiveWorkersById() {
        registry.beat(heartbeat("w2", 0), INTERVAL).block();
        registry.beat(heartbeat("w1", 0), INTERVAL).block();

        assertThat(registry.liveWorkers(MAX_AGE).block())
                .extracting(worker -> worker.heartbeat().workerId()).containsExactly("w1", "w2");
    }

    @Test
    void theWorkersHashExpiresAfterThreeMissedHeartbeats() {
        registry.beat(heartbeat("w1", 0), INTERVAL).block();

        assertThat(redis.pttl(keys.worker("w1"))).isBetween(MAX_AGE.toMillis() - 1000, MAX_AGE.toMillis());
    }

    @Test
    void aWorkerWhoseHashExpiredIsNotLive() {
        registry.beat(heartbeat("w1", 0), Duration.ofMillis(100)).block();

        await().atMost(Duration.ofSeconds(5)).until(() -> redis.exists(keys.worker("w1")) == 0);

        assertThat(registry.liveWorkers(Duration.ofMinutes(1)).block()).isEmpty();
    }

    @Test
    void forgetsWorkersNotSeenWithinTheMaxAge() {
        registry.beat(heartbeat("w1", 0), INTERVAL).block();
        redis.zadd(keys.workers(), redisNow().minus(MAX_AGE).minusSeconds(1).toEpochMilli(), "dead");

        assertThat(registry.liveWorkers(MAX_AGE).block())
                .extracting(worker -> worker.heartbeat().workerId()).containsExactly("w1");
        assertThat(redis.zrange(keys.workers(), 0, -1)).containsExactly("w1");
    }

    @Test
    void aStoppingWorkerRemovesItself() {
        registry.beat(heartbeat("w1", 0), INTERVAL).block();
        registry.beat(heartbeat("w2", 0), INTERVAL).block();

        registry.remove("w1").block();

        assertThat(registry.liveWorkers(MAX_AGE).block())
                .extracting(worker -> worker.heartbeat().workerId()).containsExactly("w2");
        assertThat(redis.exists(keys.worker("w1"))).isZero();
        assertThat(redis.zscore(keys.workers(), "w1")).isNull();
    }

    @Test
    void noWorkersIsAnEmptyList() {
        assertThat(registry.liveWorkers(MAX_AGE).block()).isEmpty();
    }

    private static Heartbeat heartbeat(String id, int busy) {
        return new Heartbeat(id, 4, busy, STARTED, "r-base:1", "1.2.3", Map.of(), 0, 0);
    }

    private Instant redisNow() {
        List<String> time = redis.time();
        return Instant.ofEpochSecond(Long.parseLong(time.get(0)), Long.parseLong(time.get(1)) * 1000)
                .truncatedTo(ChronoUnit.MILLIS);
    }
}
