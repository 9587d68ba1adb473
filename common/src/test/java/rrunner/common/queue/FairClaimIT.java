package rrunner.common.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static rrunner.common.testing.Jobs.aSpecOf;
import static rrunner.common.testing.Jobs.aSuccessfulResult;

import io.github.resilience4j.core.IntervalFunction;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import reactor.core.publisher.Flux;
import rrunner.common.job.JobId;
import rrunner.common.job.JobRecord;
import rrunner.common.job.JobSpec;
import rrunner.common.job.JobState;
import rrunner.common.testing.RedisClientExtension;
import rrunner.common.testing.RedisTestContainer;

/** The fair claim among tenants, on a real Redis: shares by weight, running caps, lines and what /queue reads. */
@Testcontainers
class FairClaimIT {

    @Container
    static final GenericContainer<?> REDIS = RedisTestContainer.create();
    @RegisterExtension
    static final RedisClientExtension REDIS_CLIENT = RedisClientExtension.emptyingBeforeEach(REDIS);

    private static final RedisKeys KEYS = new RedisKeys("test");
    private static final QueuePolicy POLICY = new QueuePolicy(3, 0, Duration.ofMinutes(5), Duration.ofMinutes(5),
            IntervalFunction.of(Duration.ofMillis(1)), 1000);

    private final JobQueue queue = new JobQueue(KEYS, POLICY, REDIS_CLIENT.reactive());

    @Test
    void aTenantWithOneJobBehindAThousandOfAnothersIsClaimedWithinTwoClaims() {
        submit("flood", TenantPolicy.UNLIMITED, 1000);
        for (int i = 0; i < 100; i++) {
            finish(queue.claim("w1").block());
        }

        JobRecord small = queue.enqueue(aSpecOf("small"), TenantPolicy.UNLIMITED, null).block().job();

        List<JobId> next = List.of(queue.claim("w1").block().id(), queue.claim("w1").block().id());
        assertThat(next).contains(small.id());
    }

    @Test
    void weightsThreeToOneGiveThreeClaimsToOneWhenJobsEndAsSoonAsTheyStart() {
        submit("big", new TenantPolicy(3, 0, 0), 400);
        submit("small", new TenantPolicy(1, 0, 0), 400);

        Map<String, Integer> claims = new HashMap<>();
        for (int i = 0; i < 400; i++) {
            ClaimedJob job = queue.claim("w1").block();
            claims.merge(job.spec().tenant(), 1, Integer::sum);
            finish(job);
        }

        assertThat((double) claims.get("big") / claims.get("small")).isBetween(2.7, 3.3);
    }

    @Test
    void weightsThreeToOneGiveThreeSlotsToOneWhenEverySlotIsBusy() {
        submit("big", new TenantPolicy(3, 0, 0), 450);
        submit("small", new TenantPolicy(1, 0, 0), 450);
        // why eight slots, oldest job ending first: a fleet kept busy, where the running jobs decide the share
        Deque<ClaimedJob> slots = new ArrayDeque<>();
        Map<String, Integer> claims = new HashMap<>();
        for (int i = 0; i < 408; i++) {
            if (slots.size() == 8) {
                finish(slots.removeFirst());
            }
            ClaimedJob job = queue.claim("w1").block();
            slots.addLast(job);
            if (i >= 8) {
                claims.merge(job.spec().tenant(), 1, Integer::sum);
            }
        }

        assertThat((double) claims.get("big") / claims.get("small")).isBetween(2.7, 3.3);
        assertThat(slots).filteredOn(job -> job.spec().tenant().equals("big")).hasSize(6);
    }

    @Test
    void aTenantWhoseJobsRunLongHoldsNoMoreThanItsShareOfTheSlots() {
        submit("long", TenantPolicy.UNLIMITED, 100);
        submit("short", TenantPolicy.UNLIMITED, 100);
        // why four slots: long jobs never end here, short ones end as soon as they start
        int longRunning = 0;
        for (int i = 0; i < 100 && longRunning < 4; i++) {
            ClaimedJob job = queue.claim("w1").block();
            if (job.spec().tenant().equals("long")) {
                longRunning++;
            } else {
                finish(job);
            }
        }

        assertThat(longRunning).isLessThanOrEqualTo(2);
    }

    @Test
    void aTenantAtItsRunningCapWaitsWhileOthersTakeEverySlotAndIsWokenWhenOneOfItsJobsEnds() {
        submit("capped", new TenantPolicy(1, 0, 2), 10);
        submit("other", TenantPolicy.UNLIMITED, 10);

        List<ClaimedJob> claimed = Flux.range(0, 13).concatMap(i -> queue.claim("w1")).collectList().block();

        assertThat(claimed).hasSize(12);
        List<ClaimedJob> capped = claimed.stream().filter(job -> job.spec().tenant().equals("capped")).toList();
        assertThat(capped).hasSize(2);
        assertThat(queue.stats().block().waiting()).isEqualTo(8);

        REDIS_CLIENT.sync().del(KEYS.signal());
        finish(capped.get(0));

        assertThat(REDIS_CLIENT.sync().llen(KEYS.signal())).isEqualTo(1);
        assertThat(queue.claim("w1").block().spec().tenant()).isEqualTo("capped");
        assertThat(queue.claim("w1").block()).isNull();
    }

    @Test
    void aLoneTenantTakesEverySlotWhateverItsWeight() {
        submit("lone", new TenantPolicy(1, 0, 0), 20);
        queue.enqueue(aSpecOf("heavy"), new TenantPolicy(10, 0, 0), null).block();
        finish(queue.claim("w1").block());

        List<ClaimedJob> claimed = Flux.range(0, 21).concatMap(i -> queue.claim("w1")).collectList().block();

        assertThat(claimed).hasSize(20).allMatch(job -> job.spec().tenant().equals("lone"));
    }

    @Test
    void aJobHandedBackOrRetriedGoesToTheFrontOfItsTenantsLine() {
        JobRecord first = queue.enqueue(aSpecOf("acme"), TenantPolicy.UNLIMITED, null).block().job();
        JobRecord second = queue.enqueue(aSpecOf("acme"), TenantPolicy.UNLIMITED, null).block().job();

        queue.handBack(queue.claim("w1").block()).block();
        ClaimedJob again = queue.claim("w1").block();
        assertThat(again.id()).isEqualTo(first.id());

        queue.release(again, "infrastructure").block();
        // why wait: the retry is due after its backoff (1 ms), by Redis's clock
        await().atMost(Duration.ofSeconds(5)).until(() -> REDIS_CLIENT.sync().zrangebyscore(KEYS.delayed(),
                io.lettuce.core.Range.create(0, redisMillis())).contains(first.id().value()));
        assertThat(queue.claim("w1").block().id()).isEqualTo(first.id());
        assertThat(queue.claim("w1").block().id()).isEqualTo(second.id());
    }

    @Test
    void aCancelledWaitingJobLeavesItsLineAndTheQueuesDepth() {
        JobRecord cancelled = queue.enqueue(aSpecOf("acme"), TenantPolicy.UNLIMITED, null).block().job();
        JobRecord kept = queue.enqueue(aSpecOf("acme"), TenantPolicy.UNLIMITED, null).block().job();

        assertThat(queue.cancel(cancelled.id()).block()).isEqualTo(JobState.CANCELLED);

        assertThat(REDIS_CLIENT.sync().llen(KEYS.waiting())).isEqualTo(1);
        assertThat(queue.claim("w1").block().id()).isEqualTo(kept.id());
        assertThat(queue.claim("w1").block()).isNull();
        assertThat(REDIS_CLIENT.sync().zcard(KEYS.claimableTenants())).isZero();
    }

    @Test
    void statsGiveEachTenantsWaitingAndRunningJobsAndTheOldestWait() {
        submit("acme", TenantPolicy.UNLIMITED, 3);
        submit("beta", TenantPolicy.UNLIMITED, 1);
        ClaimedJob running = queue.claim("w1").block();

        QueueStats stats = queue.stats(List.of("idle")).block();

        assertThat(stats.waiting()).isEqualTo(3);
        assertThat(stats.running()).isEqualTo(1);
        assertThat(stats.oldestWaiting()).isPositive();
        String other = running.spec().tenant().equals("acme") ? "beta" : "acme";
        assertThat(stats.tenants()).containsExactlyInAnyOrder(
                new TenantLoad(running.spec().tenant(), running.spec().tenant().equals("acme") ? 2 : 0, 1),
                new TenantLoad(other, other.equals("acme") ? 3 : 1, 0),
                new TenantLoad("idle", 0, 0));
    }

    @Test
    void aJobQueuedByAVersionBeforeTenantLinesStillRunsAsTheDefaultTenants() {
        JobId old = JobId.random();
        REDIS_CLIENT.sync().hset(KEYS.job(old), Map.of(JobField.STATE.wireName(), JobState.QUEUED.wireName(),
                JobField.SPEC.wireName(), "{\"script\":\"cat(1)\",\"timeout_seconds\":30,\"max_artifact_count\":10,"
                        + "\"max_artifact_bytes\":1000,\"max_result_bytes\":1000}",
                JobField.CREATED_AT.wireName(), "1", JobField.ATTEMPT.wireName(), "0",
                JobField.MAX_ATTEMPTS.wireName(), "3"));
        REDIS_CLIENT.sync().lpush(KEYS.pendingBeforeTenantLines(), old.value());

        ClaimedJob claimed = queue.claim("w1").block();

        assertThat(claimed.id()).isEqualTo(old);
        assertThat(claimed.spec().tenant()).isEqualTo(JobSpec.DEFAULT_TENANT);
        assertThat(REDIS_CLIENT.sync().llen(KEYS.waiting())).isZero();
    }

    private void submit(String tenant, TenantPolicy policy, int jobs) {
        Flux.range(0, jobs).concatMap(i -> queue.enqueue(aSpecOf(tenant), policy, null)).blockLast();
    }

    private void finish(ClaimedJob job) {
        queue.finish(job, JobState.SUCCEEDED, aSuccessfulResult("ok")).block();
    }

    private static long redisMillis() {
        List<String> time = REDIS_CLIENT.sync().time();
        return Long.parseLong(time.get(0)) * 1000 + Long.parseLong(time.get(1)) / 1000;
    }
}
