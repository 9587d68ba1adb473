package rrunner.gateway.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisConnectionException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import rrunner.common.queue.QueueFullException;
import rrunner.gateway.problem.ProblemType;
import rrunner.gateway.problem.RetryLaterException;

class RejectionReasonTest {

    @Test
    void namesRejectionsByTheirStatus() {
        assertThat(RejectionReason.of(HttpStatus.BAD_REQUEST, null)).contains(RejectionReason.INVALID);
        assertThat(RejectionReason.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE, null)).contains(RejectionReason.INVALID);
        assertThat(RejectionReason.of(HttpStatus.UNPROCESSABLE_CONTENT, null)).contains(RejectionReason.INVALID);
        assertThat(RejectionReason.of(HttpStatus.UNAUTHORIZED, null)).contains(RejectionReason.UNAUTHORIZED);
        assertThat(RejectionReason.of(HttpStatus.CONTENT_TOO_LARGE, null)).contains(RejectionReason.TOO_LARGE);
        assertThat(RejectionReason.of(HttpStatus.TOO_MANY_REQUESTS, new QueueFullException(10)))
                .contains(RejectionReason.QUEUE_FULL);
    }

    @Test
    void counts503AsRedisUnavailableOnlyWhenRedisCausedIt() {
        RetryLaterException redisDown = new RetryLaterException(
                ProblemType.JOB_STORE_UNAVAILABLE.problem("down"), Duration.ofSeconds(5),
                new RedisConnectionException("refused"));
        RetryLaterException noWorker = new RetryLaterException(ProblemType.NO_WORKER.problem("no worker"),
                Duration.ofSeconds(5));

        assertThat(RejectionReason.of(HttpStatus.SERVICE_UNAVAILABLE, redisDown))
                .contains(RejectionReason.REDIS_UNAVAILABLE);
        assertThat(RejectionReason.of(HttpStatus.SERVICE_UNAVAILABLE, noWorker)).isEmpty();
    }

    @Test
    void doesNotCountAnswersThatAreNoRejection() {
        assertThat(RejectionReason.of(HttpStatus.NOT_FOUND, null)).isEmpty();
        assertThat(RejectionReason.of(HttpStatus.REQUEST_TIMEOUT, null)).isEmpty();
        assertThat(RejectionReason.of(HttpStatus.INTERNAL_SERVER_ERROR, new RedisConnectionException("x"))).isEmpty();
    }

    @Test
    void tagsAreSnakeCase() {
        assertThat(RejectionReason.values()).extracting(RejectionReason::tag)
                .containsExactly("queue_full", "over_quota", "redis_unavailable", "too_large", "unauthorized", "invalid");
    }
}
