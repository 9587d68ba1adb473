package rrunner.common.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static rrunner.common.testing.Jobs.aSpec;
import static rrunner.common.testing.Jobs.aSuccessfulResult;
import static rrunner.common.testing.Jobs.aTrivialSpec;
import static rrunner.common.testing.Jobs.someTimings;

import io.github.resilience4j.core.IntervalFunction;
import io.lettuce.core.FlushMode;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import rrunner.common.event.JobEvent;
import rrunner.common.event.JobEventType;
import rrunner.common.job.JobRecord;
import rrunner.common.job.JobState;
import rrunner.common.testing.RedisClientExtension;
import rrunner.common.testing.RedisTestContainer;

@Testcontainers
class JobQueueIT {

    @Container
    static final GenericContainer<?> REDIS = RedisTestContainer.create();
    @RegisterExtension
    static final RedisClientExtension REDIS_CLIENT = RedisClientExtension.emptyingBeforeEach(REDIS);

    private JobQueue queue;

    @BeforeEach
    void newQueue() {
        queue = queueWith(Duration.ofSeconds(15), 3, 0);
    }

    private static JobQueue queueWith(Duration lease, int maxAttempts, int maxDepth) {
        QueuePolicy policy = new QueuePolicy(maxAttempts, maxDepth, lease, Duration.ofMinutes(5),
                IntervalFunction.of(Duration.ofMillis(1)), 1000);
        return new JobQueue(new RedisKeys("test"), policy, REDIS_CLIENT.reactive());
    }

    @Test
    void claimsGiveWaitingJobsOutInArrivalOrderUnderALease() {
        JobRecord first = queue.enqueue(aSpec("cat(1)")).block();
        JobRecord second = queue.enqueue(aSpec("cat(2)")).block();

        ClaimedJob claimed = queue.claim("w1").block();

        assertThat(claimed.id()).isEqualTo(first.id());
        assertThat(claimed.spec().script()).isEqualTo("cat(1)");
        assertThat(claimed.attempt()).isEqualTo(1);
        assertThat(queue.claim("w2").block().id()).isEqualTo(second.id());
        assertThat(queue.claim("w3").block()).isNull();
        JobRecord running = queue.find(first.id()).block();
        assertThat(running.state()).isEqualTo(JobState.RUNNING);
        assertThat(running.attemptedBy()).isEqualTo("w1");
        assertThat(running.attemptedAt()).isNotNull();
    }

    @Test
    void finishWritesTheResultOnceAndAnnouncesTheCompletion() {
        List<String> announced = new CopyOnWriteArrayList<>();
        StatefulRedisPubSubConnection<String, String> pubsub = REDIS_CLIENT.client().connectPubSub();
        pubsub.addListener(new io.lettuce.core.pubsub.RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                announced.add(message);
            }
        });
        pubsub.sync().subscribe(queue.keys().completions());
        JobRecord job = queue.enqueue(aTrivialSpec()).block();
        ClaimedJob claimed = queue.claim("w1").block();

        queue.finish(claimed, JobState.SUCCEEDED, aSuccessfulResult("1")).block();

        JobRecord finished = queue.find(job.id()).block();
        assertThat(finished.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(finished.result().stdout()).isEqualTo("1");
        assertThat(finished.finishedAt()).isNotNull();
        await().atMost(Duration.ofSeconds(5)).until(() -> announced.contains(job.id().value()));
        assertThatThrownBy(() -> queue.finish(claimed, JobState.FAILED, aSuccessfulResult("2")).block())
                .isInstanceOf(LeaseLostException.class);
        assertThat(queue.find(job.id()).block().result().stdout()).isEqualTo("1");
        pubsub.close();
    }

    @Test
    void finishStoresTheRunsTimingsBesideItsResult() {
        JobRecord job = queue.enqueue(aTrivialSpec()).block();
        ClaimedJob claimed = queue.claim("w1").block();

        queue.finish(claimed, JobState.SUCCEEDED, aSuccessfulResult("1"), someTimings()).block();

        JobRecord finished = queue.find(job.id()).block();
        assertThat(finished.timings()).isEqualTo(someTimings());
        assertThat(finished.result()).isEqualTo(aSuccessfulResult("1"));
        // the queue wait the gateway reports comes from the same record, both ends on Redis's clock
        assertThat(finished.attemptedAt()).isEqualTo(claimed.claimedAt()).isAfterOrEqualTo(finished.createdAt());
    }

    @Test
    void jobsNoWorkerTimedHaveNoTimings() {
        JobRecord untimed = queue.enqueue(aTrivialSpec()).block();
        queue.finish(queue.claim("w1").block(), JobState.SUCCEEDED, aSuccessfulResult("1")).block();
        JobRecord cancelled = queue.enqueue(aTrivialSpec()).block();
        queue.cancel(cancelled.id()).block();

        assertThat(queue.find(untimed.id()).block().timings()).isNull();
        assertThat(queue.find(cancelled.id()).block().timings()).isNull();
    }

    @Test
    void finishedJobsExpireAfterTheResultTtl() {
        JobRecord job = queue.enqueue(aTrivialSpec()).block();
        queue.finish(queue.claim("w1").block(), JobState.SUCCEEDED, aSuccessfulResult("")).block();

        assertThat(REDIS_CLIENT.sync().ttl(queue.keys().job(job.id()))).isBetween(1L, 300L);
        assertThat(REDIS_CLIENT.sync().ttl(queue.keys().events(job.id()))).isBetween(1L, 300L);
    }

    @Test
    void requeuesJobWhenLeaseExpiresAndAnotherWorkerFinishesIt() {
        JobQueue shortLeases = queueWith(Duration.ofMillis(200), 3, 0);
        JobRecord job = shortLeases.enqueue(aTrivialSpec()).block();
        ClaimedJob dead = shortLeases.claim("dead-worker").block();

        await().atMost(Duration.ofSeconds(5)).until(() -> shortLeases.rescueExpired().block() == 1);

        JobRecord requeued = shortLeases.find(job.id()).block();
        assertThat(requeued.state()).isEqualTo(JobState.QUEUED);
        assertThat(requeued.errors()).singleElement().satisfies(error -> {
            assertThat(error.attempt()).isEqualTo(1);
            assertThat(error.worker()).isEqualTo("dead-worker");
            assertThat(error.message()).contains("lease expired");
        });
        ClaimedJob retry = await().atMost(Duration.ofSeconds(5))
                .until(() -> shortLeases.claim("live-worker").block(), claimed -> claimed != null);
        assertThat(retry.attempt()).isEqualTo(2);
        assertThatThrownBy(() -> shortLeases.finish(dead, JobState.SUCCEEDED, aSuccessfulResult("late")).block())
                .isInstanceOf(LeaseLostException.class);
        shortLeases.finish(retry, JobState.SUCCEEDED, aSuccessfulResult("ok")).block();
        assertThat(shortLeases.find(job.id()).block().result().stdout()).isEqualTo("ok");
    }

    @Test
    void failsJobWhoseWorkersKeepDyingAfterMaxAttempts() {
        JobQueue shortLeases = queueWith(Duration.ofMillis(100), 2, 0);
        JobRecord job = shortLeases.enqueue(aTrivialSpec()).block();
        shortLeases.claim("w1").block();
        await().atMost(Duration.ofSeconds(5)).until(() -> shortLeases.rescueExpired().block() == 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> shortLeases.claim("w2").block() != null);

        await().atMost(Duration.ofSeconds(5)).until(() -> shortLeases.rescueExpired().block() == 1);

        JobRecord failed = shortLeases.find(job.id()).block();
        assertThat(failed.state()).isEqualTo(JobState.FAILED);
        assertThat(failed.result()).isNull();
        assertThat(failed.timings()).isNull();
        assertThat(failed.errors()).extracting(e -> e.worker()).containsExactly("w1", "w2");
        assertThat(failed.visibleResult()).hasValueSatisfying(result -> {
            assertThat(result.success()).isFalse();
            assertThat(result.runtimeStderr()).contains("2 attempt(s)").contains("lease expired (worker w2)");
        });
    }

    @Test
    void renewKeepsTheLeaseAndTellsTheWorkerAboutACancel() {
        JobQueue shortLeases = queueWith(Duration.ofMillis(300), 3, 0);
        JobRecord job = shortLeases.enqueue(aTrivialSpec()).block();
        ClaimedJob claimed = shortLeases.claim("w1").block();

        assertThat(shortLeases.renew(claimed).block()).isEqualTo(LeaseStatus.HELD);
        assertThat(shortLeases.cancel(job.id()).block()).isEqualTo(JobState.RUNNING);
        assertThat(shortLeases.renew(claimed).block()).isEqualTo(LeaseStatus.CANCEL_REQUESTED);

        shortLeases.finish(claimed, JobState.CANCELLED, null).block();
        assertThat(shortLeases.renew(claimed).block()).isEqualTo(LeaseStatus.LOST);
        assertThat(shortLeases.find(job.id()).block().state()).isEqualTo(JobState.CANCELLED);
    }

    @Test
    void rescueCancelsAJobWhoseCancelArrivedAfterItsWorkerDied() {
        JobQueue shortLeases = queueWith(Duration.ofMillis(100), 3, 0);
        JobRecord job = shortLeases.enqueue(aTrivialSpec()).block();
        shortLeases.claim("w1").block();
        shortLeases.cancel(job.id()).block();

        await().atMost(Duration.ofSeconds(5)).until(() -> shortLeases.rescueExpired().block() == 1);

        assertThat(shortLeases.find(job.id()).block().state()).isEqualTo(JobState.CANCELLED);
    }

    @Test
    void releasedJobsAreRetriedAndKeepTheirError() {
        JobRecord job = queue.enqueue(aTrivialSpec()).block();
        ClaimedJob claimed = queue.claim("w1").block();

        assertThat(queue.release(claimed, "Docker API error: boom").block()).isEqualTo(JobState.QUEUED);

        ClaimedJob retry = await().atMost(Duration.ofSeconds(5))
                .until(() -> queue.claim("w2").block(), c -> c != null);
        assertThat(retry.id()).isEqualTo(job.id());
        assertThat(queue.find(job.id()).block().errors()).singleElement()
                .satisfies(e -> assertThat(e.message()).isEqualTo("Docker API error: boom"));
    }

    @Test
    void aJobHandedBackAtShutdownIsClaimedAgainAtOnceWithoutUsingAnAttempt() {
        QueuePolicy oneAttemptLongBackoff = new QueuePolicy(1, 0, Duration.ofSeconds(15), Duration.ofMinutes(5),
                IntervalFunction.of(Duration.ofMinutes(10)), 1000);
        JobQueue strict = new JobQueue(new RedisKeys("test"), oneAttemptLongBackoff, REDIS_CLIENT.reactive());
        StatefulRedisConnection<String, String> blocking = REDIS_CLIENT.client().connect();
        WorkSignal signal = new WorkSignal(strict.keys(), blocking.reactive());
        JobRecord job = strict.enqueue(aTrivialSpec()).block();
        JobRecord waiting = strict.enqueue(aTrivialSpec()).block();
        ClaimedJob first = strict.claim("leaving").block();
        REDIS_CLIENT.sync().del(strict.keys().signal());

        assertThat(strict.handBack(first).block()).isEqualTo(JobState.QUEUED);

        assertThat(strict.find(job.id()).block()).satisfies(record -> {
            assertThat(record.attempt()).isZero();
            assertThat(record.errors()).singleElement().satisfies(error -> {
                assertThat(error.worker()).isEqualTo("leaving");
                assertThat(error.message()).contains("handed back at shutdown");
            });
        });
        assertThat(signal.await(Duration.ofSeconds(1)).block()).as("an idle worker is woken").isTrue();
        ClaimedJob again = strict.claim("staying").block();
        assertThat(again.id()).as("ahead of the job that was waiting").isEqualTo(job.id());
        assertThat(again.attempt()).isEqualTo(1);
        assertThat(strict.claim("staying").block().id()).isEqualTo(waiting.id());
        assertThatThrownBy(() -> strict.handBack(first).block()).isInstanceOf(LeaseLostException.class);
        strict.finish(again, JobState.SUCCEEDED, aSuccessfulResult("ok")).block();
        assertThat(strict.find(job.id()).block().state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(strict.events(job.id(), null).map(JobEvent::type).collectList().block())
                .containsExactly(JobEventType.QUEUED, JobEventType.QUEUED, JobEventType.FINISHED);
        blocking.close();
    }

    @Test
    void aJobHandedBackAfterACancelEndsCancelled() {
        JobRecord job = queue.enqueue(aTrivialSpec()).block();
        ClaimedJob claimed = queue.claim("leaving").block();
        queue.cancel(job.id()).block();

        assertThat(queue.handBack(claimed).block()).isEqualTo(JobState.CANCELLED);

        assertThat(queue.claim("staying").block()).isNull();
    }

    @Test
    void appendsOfAnAttemptWhoseLeaseWasTakenOverAreRefused() {
        JobQueue shortLeases = queueWith(Duration.ofMillis(100), 3, 0);
        JobRecord job = shortLeases.enqueue(aTrivialSpec()).block();
        ClaimedJob dead = shortLeases.claim("dead-worker").block();
        shortLeases.appendEvents(dead, List.of(JobEvent.of(JobEventType.STDOUT, "first\n"))).block();
        await().atMost(Duration.ofSeconds(5)).until(() -> shortLeases.rescueExpired().block() == 1);
        ClaimedJob live = await().atMost(Duration.ofSeconds(5))
                .until(() -> shortLeases.claim("live-worker").block(), claimed -> claimed != null);

        assertThatThrownBy(() -> shortLeases.appendEvents(dead,
                List.of(JobEvent.of(JobEventType.STDOUT, "stale\n"))).block())
                .isInstanceOf(LeaseLostException.class);
        shortLeases.appendEvents(live, List.of(JobEvent.of(JobEventType.STDOUT, "second\n"))).block();

        assertThat(shortLeases.events(job.id(), null).filter(e -> e.type() == JobEventType.STDOUT)
                .map(JobEvent::data).collectList().block()).containsExactly("first\n", "second\n");
    }

    @Test
    void nothingIsAppendedAfterTheJobFinished() {
        JobRecord job = queue.enqueue(aTrivialSpec()).block();
        ClaimedJob claimed = queue.claim("w1").block();
        queue.finish(claimed, JobState.SUCCEEDED, aSuccessfulResult("")).block();

        assertThatThrownBy(() -> queue.appendEvents(claimed,
                List.of(JobEvent.of(JobEventType.STDOUT, "late"))).block())
                .isInstanceOf(LeaseLostException.class);

        assertThat(queue.events(job.id(), null).map(JobEvent::type).collectList().block())
                .containsExactly(JobEventType.QUEUED, JobEventType.FINISHED);
    }

    @Test
    void rejectsJobsBeyondTheQueueDepthLimit() {
        JobQueue small = queueWith(Duration.ofSeconds(15), 3, 2);
        small.enqueue(aTrivialSpec()).block();
        small.enqueue(aTrivialSpec()).block();

        assertThatThrownBy(() -> small.enqueue(aTrivialSpec()).block()).isInstanceOf(QueueFullException.class);
        assertThat(small.stats().block().waiting()).isEqualTo(2);
    }

    @Test
    void aCancelledWaitingJobIsNeverClaimed() {
        JobRecord job = queue.enqueue(aTrivialSpec()).block();

        assertThat(queue.cancel(job.id()).block()).isEqualTo(JobState.CANCELLED);

        assertThat(queue.claim("w1").block()).isNull();
        assertThat(queue.find(job.id()).block().state()).isEqualTo(JobState.CANCELLED);
    }

    @Test
    void withdrawLeavesARunningJobAlone() {
        JobRecord job = queue.enqueue(aTrivialSpec()).block();
        ClaimedJob claimed = queue.claim("w1").block();

        assertThat(queue.withdraw(job.id()).block()).isEqualTo(JobState.RUNNING);

        assertThat(queue.renew(claimed).block()).isEqualTo(LeaseStatus.HELD);
    }

    @Test
    void cancellingAnUnknownJobFindsNothing() {
        assertThat(queue.cancel(rrunner.common.job.JobId.random()).block()).isNull();
    }

    @Test
    void eachEnqueuedJobWakesOneIdleWorker() {
        WorkSignal signal = new WorkSignal(queue.keys(), REDIS_CLIENT.client().connect().reactive());
        queue.enqueue(aTrivialSpec()).block();

        assertThat(signal.await(Duration.ofSeconds(1)).block()).isTrue();
        assertThat(signal.await(Duration.ofMillis(100)).block()).isFalse();
    }

    @Test
    void eventsReplayFromTheStartAndResumeAfterAnId() {
        JobRecord job = queue.enqueue(aTrivialSpec()).block();
        ClaimedJob claimed = queue.claim("w1").block();
        queue.appendEvents(claimed, List.of(JobEvent.of(JobEventType.STARTED, "w1"),
                JobEvent.of(JobEventType.STDOUT, "hello\n"))).block();
        queue.finish(claimed, JobState.SUCCEEDED, aSuccessfulResult("hello\n")).block();

        List<JobEvent> all = queue.events(job.id(), null).collectList().block();

        assertThat(all).extracting(JobEvent::type).containsExactly(JobEventType.QUEUED, JobEventType.STARTED,
                JobEventType.STDOUT, JobEventType.FINISHED);
        assertThat(all.get(3).data()).isEqualTo("succeeded");
        assertThat(queue.events(job.id(), all.get(1).id()).collectList().block())
                .extracting(JobEvent::type).containsExactly(JobEventType.STDOUT, JobEventType.FINISHED);
    }

    @Test
    void appendedEventsAreAnnouncedSoStreamsNeedNoBlockingReads() {
        List<String> announced = new CopyOnWriteArrayList<>();
        StatefulRedisPubSubConnection<String, String> pubsub = REDIS_CLIENT.client().connectPubSub();
        pubsub.addListener(new io.lettuce.core.pubsub.RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                announced.add(message);
            }
        });
        pubsub.sync().subscribe(queue.keys().eventNotices());
        JobRecord job = queue.enqueue(aTrivialSpec()).block();
        ClaimedJob claimed = queue.claim("w1").block();

        queue.appendEvents(claimed, List.of(JobEvent.of(JobEventType.STDOUT, "x"))).block();

        await().atMost(Duration.ofSeconds(5)).until(() -> announced.contains(job.id().value()));
        pubsub.close();
    }

    @Test
    void statsCountWaitingRunningAndTheOldestWait() {
        queue.enqueue(aTrivialSpec()).block();
        queue.enqueue(aTrivialSpec()).block();
        queue.claim("w1").block();

        QueueStats stats = queue.stats().block();

        assertThat(stats.waiting()).isEqualTo(1);
        assertThat(stats.running()).isEqualTo(1);
        assertThat(stats.oldestWaiting()).isGreaterThanOrEqualTo(Duration.ZERO);
    }

    @Test
    void survivesRedisForgettingItsFunctions() {
        queue.enqueue(aTrivialSpec()).block();
        REDIS_CLIENT.sync().functionFlush(FlushMode.SYNC);

        assertThat(queue.enqueue(aTrivialSpec()).block().state()).isEqualTo(JobState.QUEUED);
        assertThat(queue.claim("w1").block()).isNotNull();
    }

    /** Redis refuses a function that may write while it is out of memory; the stats script says it never writes. */
    @Test
    void statsStillAnswerWhileRedisIsOutOfMemory() {
        queue.enqueue(aTrivialSpec()).block();
        queue.stats().block();
        REDIS_CLIENT.sync().configSet(Map.of("maxmemory-policy", "noeviction", "maxmemory", "1"));
        try {
            assertThatThrownBy(() -> queue.enqueue(aTrivialSpec()).block()).hasMessageStartingWith("OOM ");

            assertThat(queue.stats().block().waiting()).isEqualTo(1);
        } finally {
            REDIS_CLIENT.sync().configSet("maxmemory", "0");
        }
    }
}
