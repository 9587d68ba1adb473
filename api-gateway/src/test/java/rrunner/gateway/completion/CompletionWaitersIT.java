package rrunner.gateway.completion;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import rrunner.common.job.JobRecord;
import rrunner.common.job.JobSpec;
import rrunner.common.job.JobState;
import rrunner.common.job.RunResult;
import rrunner.common.queue.ClaimedJob;
import rrunner.common.queue.JobQueue;
import rrunner.gateway.testing.GatewayOnSharedRedis;
import rrunner.gateway.testing.QueueWorkerStub;

@TestPropertySource(properties = "RUNNER_TOKEN=waiters-token")
class CompletionWaitersIT extends GatewayOnSharedRedis {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final RunResult RESULT = RunResult.ofScript(0, "done\n", "", List.of());

    @Autowired
    RedisClient redisClient;

    @Test
    void completesWhenTheJobFinishes() {
        ClaimedJob job = runningJob();

        JobRecord[] ended = new JobRecord[1];

        StepVerifier.create(waiters.awaitTerminal(job.id()))
                .then(() -> finish(job))
                .assertNext(record -> ended[0] = record)
                .verifyComplete();

        assertThat(ended[0].state()).isEqualTo(JobState.SUCCEEDED);
        // why: a waiter that returns the result reads it itself; not every waiter needs it
        assertThat(ended[0].result()).isNull();
        assertThat(queue.withResult(ended[0]).block(WAIT).result()).isEqualTo(RESULT);
        assertThat(waiters.waiting()).isZero();
    }

    @Test
    void completesAtOnceForAJobThatFinishedBeforeItWasAwaited() {
        ClaimedJob job = runningJob();
        finish(job);

        StepVerifier.create(waiters.awaitTerminal(job.id()))
                .assertNext(record -> assertThat(record.state()).isEqualTo(JobState.SUCCEEDED))
                .expectComplete()
                .verify(WAIT);
    }

    /** Its own instance, with no subscription feeding it: only the re-check can complete the waiter. */
    @Test
    void rechecksEveryWaiterWhenTheSubscriptionComesBack() {
        CompletionWaiters unsubscribed = new CompletionWaiters(queue);
        ClaimedJob job = runningJob();

        StepVerifier.create(unsubscribed.awaitTerminal(job.id()))
                .then(() -> finish(job))
                .then(unsubscribed::resubscribed)
                .assertNext(record -> assertThat(record.state()).isEqualTo(JobState.SUCCEEDED))
                .expectComplete()
                .verify(WAIT);
    }

    /**
     * One transaction drops the gateway's subscriber and then publishes the completion to nobody, before Lettuce
     * can reconnect: only the re-check Lettuce's resubscription triggers can complete the waiter.
     */
    @Test
    void completesAWaiterWhoseCompletionWasPublishedWhileTheSubscriptionWasDown() {
        // why: a finish outside the transaction loads the script, so EVALSHA inside it needs no fallback
        finish(runningJob());
        ClaimedJob job = runningJob();
        try (StatefulRedisConnection<String, String> transaction = redisClient.connect()) {
            JobQueue transactionQueue = new JobQueue(queue.keys(), queue.policy(), transaction.reactive());

            StepVerifier.create(waiters.awaitTerminal(job.id()))
                    // why: a reply on the same connection means Redis already ran the waiter's first read
                    .then(() -> redis.sync().ping())
                    .then(() -> {
                        transaction.sync().multi();
                        transaction.sync().clientKill(KillArgs.Builder.typePubsub());
                        transactionQueue.finish(job, JobState.SUCCEEDED, RESULT).subscribe();
                        transaction.sync().exec();
                    })
                    .assertNext(record -> assertThat(record.state()).isEqualTo(JobState.SUCCEEDED))
                    .expectComplete()
                    .verify(WAIT);
        }
    }

    @Test
    void sharesOneEntryBetweenWaitersOfTheSameJob() {
        ClaimedJob job = runningJob();
        Mono<JobRecord> first = waiters.awaitTerminal(job.id());
        Mono<JobRecord> second = waiters.awaitTerminal(job.id());

        StepVerifier.create(Mono.zip(first, second))
                .then(() -> assertThat(waiters.waiting()).isEqualTo(1))
                .then(() -> finish(job))
                .assertNext(both -> assertThat(both.getT1()).isEqualTo(both.getT2()))
                .expectComplete()
                .verify(WAIT);
        assertThat(waiters.waiting()).isZero();
    }

    @Test
    void forgetsWaitersThatTimeOutOrAreCancelled() {
        ClaimedJob job = runningJob();

        StepVerifier.create(waiters.awaitTerminal(job.id()).timeout(Duration.ofMillis(200)))
                .expectError(TimeoutException.class)
                .verify(WAIT);
        StepVerifier.create(waiters.awaitTerminal(job.id()))
                .thenCancel()
                .verify(WAIT);

        assertThat(waiters.waiting()).isZero();
    }

    private ClaimedJob runningJob() {
        return queue.enqueue(new JobSpec("cat(1)", 30, 10, 1000))
                .then(queue.claim(QueueWorkerStub.WORKER_ID))
                .block(WAIT);
    }

    private void finish(ClaimedJob job) {
        queue.finish(job, JobState.SUCCEEDED, RESULT).block(WAIT);
    }
}
