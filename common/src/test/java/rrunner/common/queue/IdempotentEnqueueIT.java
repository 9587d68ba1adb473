package rrunner.common.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static rrunner.common.testing.Jobs.aSpecOf;
import static rrunner.common.testing.Jobs.aSuccessfulResult;

import io.github.resilience4j.core.IntervalFunction;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import reactor.core.publisher.Flux;
import rrunner.common.job.JobSpec;
import rrunner.common.job.JobState;
import rrunner.common.testing.RedisClientExtension;
import rrunner.common.testing.RedisTestContainer;

/** Idempotency keys as {@code enqueue.lua} checks and stores them with the job, on a real Redis. */
@Testcontainers
class IdempotentEnqueueIT {

    @Container
    static final GenericContainer<?> REDIS = RedisTestContainer.create();
    @RegisterExtension
    static final RedisClientExtension REDIS_CLIENT = RedisClientExtension.emptyingBeforeEach(REDIS);

    private static final IdempotencyKey KEY = new IdempotencyKey("order-42");
    private static final Duration RESULT_TTL = Duration.ofMinutes(5);

    private final RedisKeys keys = new RedisKeys("test");
    private final JobQueue queue = new JobQueue(keys, new QueuePolicy(3, 0, Duration.ofSeconds(15), RESULT_TTL,
            IntervalFunction.of(Duration.ofMillis(1)), 1000), REDIS_CLIENT.reactive());

    @Test
    void theSameKeyAndSpecTwiceMakeOneJobAndReplayIt() {
        Enqueued first = queue.enqueue(aSpecOf("acme"), TenantPolicy.UNLIMITED, KEY).block();
        Enqueued second = queue.enqueue(aSpecOf("acme"), TenantPolicy.UNLIMITED, KEY).block();

        assertThat(first.replayed()).isFalse();
        assertThat(second.replayed()).isTrue();
        assertThat(second.job()).isEqualTo(first.job());
        assertThat(REDIS_CLIENT.sync().llen(keys.waiting())).isEqualTo(1);
    }

    @Test
    void fiftyParallelSubmitsWithOneKeyMakeOneJob() {
        List<Enqueued> answers = Flux.range(0, 50)
                .flatMap(i -> queue.enqueue(aSpecOf("acme"), TenantPolicy.UNLIMITED, KEY), 50)
                .collectList().block();

        assertThat(answers).filteredOn(answer -> !answer.replayed()).hasSize(1);
        assertThat(answers).extracting(answer -> answer.job().id()).containsOnly(answers.get(0).job().id());
        assertThat(REDIS_CLIENT.sync().llen(keys.waiting())).isEqualTo(1);
    }

    @Test
    void theSameKeyWithAnotherSpecIsRefusedAndStoresNothing() {
        queue.enqueue(aSpecOf("acme"), TenantPolicy.UNLIMITED, KEY).block();
        JobSpec other = new JobSpec("cat(2)", 30, 10, 1000, JobSpec.DEFAULT_MAX_RESULT_BYTES, null, 0, 0, List.of(),
                null, "acme");

        assertThatThrownBy(() -> queue.enqueue(other, TenantPolicy.UNLIMITED, KEY).block())
                .isInstanceOf(IdempotencyKeyReusedException.class);
        assertThat(REDIS_CLIENT.sync().llen(keys.waiting())).isEqualTo(1);
    }

    @Test
    void theSameKeyInTwoTenantsMakesTwoJobs() {
        Enqueued acme = queue.enqueue(aSpecOf("acme"), TenantPolicy.UNLIMITED, KEY).block();
        Enqueued beta = queue.enqueue(aSpecOf("beta"), TenantPolicy.UNLIMITED, KEY).block();

        assertThat(beta.replayed()).isFalse();
        assertThat(beta.job().id()).isNotEqualTo(acme.job().id());
    }

    @Test
    void aSubmitRefusedByItsTenantsQuotaStoresNoKey() {
        queue.enqueue(aSpecOf("acme"), new TenantPolicy(1, 1, 0), null).block();

        assertThatThrownBy(() -> queue.enqueue(aSpecOf("acme"), new TenantPolicy(1, 1, 0), KEY).block())
                .isInstanceOf(TenantQueueFullException.class);
        assertThat(queue.enqueue(aSpecOf("acme"), TenantPolicy.UNLIMITED, KEY).block().replayed()).isFalse();
    }

    @Test
    void theKeyExpiresWithItsJobOnceTheJobEnds() {
        Enqueued job = queue.enqueue(aSpecOf("acme"), TenantPolicy.UNLIMITED, KEY).block();
        String key = keys.idempotencyKey("acme", KEY.digest());
        assertThat(REDIS_CLIENT.sync().ttl(key)).isEqualTo(-1);

        ClaimedJob claimed = queue.claim("w1").block();
        queue.finish(claimed, JobState.SUCCEEDED, aSuccessfulResult("1")).block();

        assertThat(REDIS_CLIENT.sync().ttl(key)).isPositive()
                .isLessThanOrEqualTo(RESULT_TTL.toSeconds())
                .isEqualTo(REDIS_CLIENT.sync().ttl(keys.job(job.job().id())));
    }

    @Test
    void aKeyWhoseJobWasForgottenMakesANewJob() {
        Enqueued first = queue.enqueue(aSpecOf("acme"), TenantPolicy.UNLIMITED, KEY).block();
        REDIS_CLIENT.sync().del(keys.job(first.job().id()));

        Enqueued second = queue.enqueue(aSpecOf("acme"), TenantPolicy.UNLIMITED, KEY).block();

        assertThat(second.replayed()).isFalse();
        assertThat(second.job().id()).isNotEqualTo(first.job().id());
    }

    @Test
    void aWithdrawnJobReleasesItsKeySoTheRetryStartsAfresh() {
        Enqueued first = queue.enqueue(aSpecOf("acme"), TenantPolicy.UNLIMITED, KEY).block();
        queue.withdraw(first.job().id()).block();

        Enqueued retry = queue.enqueue(aSpecOf("acme"), TenantPolicy.UNLIMITED, KEY).block();

        assertThat(retry.replayed()).isFalse();
        assertThat(retry.job().id()).isNotEqualTo(first.job().id());
    }

    @Test
    void aCancelledJobKeepsItsKey() {
        Enqueued first = queue.enqueue(aSpecOf("acme"), TenantPolicy.UNLIMITED, KEY).block();
        queue.cancel(first.job().id()).block();

        assertThat(queue.enqueue(aSpecOf("acme"), TenantPolicy.UNLIMITED, KEY).block().job().id()).isEqualTo(first.job().id());
    }
}
