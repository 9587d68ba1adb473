package rrunner.common.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static rrunner.common.testing.Jobs.aSpecOf;
import static rrunner.common.testing.Jobs.aSuccessfulResult;

import io.github.resilience4j.core.IntervalFunction;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import rrunner.common.job.JobRecord;
import rrunner.common.job.JobSpec;
import rrunner.common.job.JobState;
import rrunner.common.testing.RedisClientExtension;
import rrunner.common.testing.RedisTestContainer;

/** Each tenant's usage as the queue scripts keep it, its max_queued and its request bucket, on a real Redis. */
@Testcontainers
class TenantQuotaIT {

    @Container
    static final GenericContainer<?> REDIS = RedisTestContainer.create();
    @RegisterExtension
    static final RedisClientExtension REDIS_CLIENT = RedisClientExtension.emptyingBeforeEach(REDIS);

    private final JobQueue queue = queueWith(Duration.ofSeconds(15));

    private static JobQueue queueWith(Duration lease) {
        QueuePolicy policy = new QueuePolicy(3, 0, lease, Duration.ofMinutes(5),
                IntervalFunction.of(Duration.ofMillis(1)), 1000);
        return new JobQueue(new RedisKeys("test"), policy, REDIS_CLIENT.reactive());
    }

    @Test
    void fiftyParallelSubmitsAgainstMaxQueuedTenAcceptExactlyTen() {
        List<Object> answers = Flux.range(0, 50)
                .flatMap(i -> queue.enqueue(aSpecOf("acme"), queuedAtMost(10), null).map(Enqueued::job).cast(Object.class)
                        .onErrorResume(TenantQueueFullException.class, Mono::just), 50)
                .collectList().block();

        assertThat(answers).filteredOn(JobRecord.class::isInstance).hasSize(10);
        assertThat(answers).filteredOn(TenantQueueFullException.class::isInstance).hasSize(40)
                .allSatisfy(e -> assertThat(((TenantQueueFullException) e).current()).isEqualTo(10));
        assertThat(queue.usage("acme").block()).isEqualTo(new TenantUsage(10, 0, 0));
    }

    @Test
    void oneTenantsQueueBeingFullLeavesAnotherAdmitted() {
        queue.enqueue(aSpecOf("acme"), queuedAtMost(1), null).map(Enqueued::job).block();

        assertThatThrownBy(() -> queue.enqueue(aSpecOf("acme"), queuedAtMost(1), null).map(Enqueued::job).block())
                .isInstanceOf(TenantQueueFullException.class);
        assertThat(queue.enqueue(aSpecOf("beta"), queuedAtMost(1), null).map(Enqueued::job).block().state()).isEqualTo(JobState.QUEUED);
    }

    @Test
    void aClaimMovesAJobFromQueuedToRunningAndItsEndFreesTheSlot() {
        queue.enqueue(aSpecOf("acme"), queuedAtMost(2), null).map(Enqueued::job).block();
        queue.enqueue(aSpecOf("acme"), queuedAtMost(2), null).map(Enqueued::job).block();

        ClaimedJob claimed = queue.claim("w1").block();

        assertThat(queue.usage("acme").block()).isEqualTo(new TenantUsage(1, 1, 0));
        assertThat(queue.enqueue(aSpecOf("acme"), queuedAtMost(2), null).map(Enqueued::job).block().state()).isEqualTo(JobState.QUEUED);
        queue.finish(claimed, JobState.SUCCEEDED, aSuccessfulResult("1")).block();
        assertThat(queue.usage("acme").block()).isEqualTo(new TenantUsage(2, 0, 0));
    }

    @Test
    void aCancelledJobLeavesTheQueuedCount() {
        JobRecord job = queue.enqueue(aSpecOf("acme"), queuedAtMost(1), null).map(Enqueued::job).block();

        queue.cancel(job.id()).block();

        assertThat(queue.usage("acme").block()).isEqualTo(new TenantUsage(0, 0, 0));
        assertThat(queue.enqueue(aSpecOf("acme"), queuedAtMost(1), null).map(Enqueued::job).block().state()).isEqualTo(JobState.QUEUED);
    }

    @Test
    void aRescuedJobCountsAsQueuedAgainAndAsRunningNoMore() {
        JobQueue shortLeases = queueWith(Duration.ofMillis(100));
        shortLeases.enqueue(aSpecOf("acme"), queuedAtMost(1), null).map(Enqueued::job).block();
        shortLeases.claim("w1").block();

        await().atMost(Duration.ofSeconds(5)).until(() -> shortLeases.rescueExpired().block() == 1);

        assertThat(shortLeases.usage("acme").block()).isEqualTo(new TenantUsage(1, 0, 0));
    }

    @Test
    void aJobFromBeforeTenantsIsTheDefaultTenantsAndCountsForNobody() {
        JobRecord old = queue.enqueue(new JobSpec("cat(1)", 30, 10, 5_000_000)).block();

        assertThat(queue.find(old.id()).block().spec().tenant()).isEqualTo(JobSpec.DEFAULT_TENANT);
        assertThat(queue.claim("w1").block()).isNotNull();
    }

    @Test
    void theRequestBucketLetsABurstOfItsRateThroughThenRefusesWithTheWait() {
        RequestBuckets buckets = new RequestBuckets(new RedisKeys("test"), REDIS_CLIENT.reactive());

        List<RequestBuckets.Take> takes = IntStream.range(0, 4)
                .mapToObj(i -> buckets.take("acme", 3).block()).toList();

        assertThat(takes).extracting(RequestBuckets.Take::allowed).containsExactly(true, true, true, false);
        assertThat(takes.get(3).used()).isEqualTo(3);
        assertThat(takes.get(3).retryAfter()).isBetween(Duration.ofSeconds(15), Duration.ofSeconds(20));
        assertThat(buckets.take("beta", 3).block().allowed()).isTrue();
    }

    @Test
    void theRequestBucketRefillsAtItsRate() {
        RequestBuckets buckets = new RequestBuckets(new RedisKeys("test"), REDIS_CLIENT.reactive());
        // why 60 a minute: one token a second, so the burst is spent long before one comes back
        IntStream.range(0, 60).forEach(i -> buckets.take("acme", 60).block());
        assertThat(buckets.take("acme", 60).block().allowed()).isFalse();

        await().atMost(Duration.ofSeconds(3)).until(() -> buckets.take("acme", 60).block().allowed());
    }

    private static TenantPolicy queuedAtMost(int maxQueued) {
        return new TenantPolicy(1, maxQueued, 0);
    }
}
