package rrunner.gateway.problem;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisLoadingException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;
import rrunner.common.queue.QueueFullException;
import rrunner.gateway.ops.RejectedRequests;

class ProblemHandlerTest {

    private static final Duration WAIT = Duration.ofSeconds(1);

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ProblemHandler handler = new ProblemHandler(new RejectedRequests(meters));
    private final MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.post("/run"));

    @Test
    void answers429WithRetryAfterWhenTheQueueIsFull() {
        ResponseEntity<Object> response = block(handler.handleQueueFull(new QueueFullException(1000), exchange));

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
        assertThat(response.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("5");
        assertThat(problem(response).getDetail()).isEqualTo("the queue is full (1000 jobs waiting); retry later");
    }

    @Test
    void answers503WithRetryAfterWhenRedisIsUnreachableOrSlow() {
        for (RedisException outage : new RedisException[] {
                new RedisConnectionException("Unable to connect to redis:6379"),
                new RedisCommandTimeoutException("Command timed out after 2 second(s)"),
                new RedisException("Currently not connected. Commands are rejected."),
                new RedisLoadingException("LOADING Redis is loading the dataset in memory")}) {
            ResponseEntity<Object> response = block(handler.handleRedis(outage, exchange));

            assertThat(response.getStatusCode()).as(outage.getMessage()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
            assertThat(response.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("5");
            assertThat(problem(response).getDetail()).isEqualTo("the job store is unavailable; retry later");
        }
    }

    @Test
    void answers503WithATypedProblemAndRetryAfterWhenRedisIsOutOfMemory() {
        ResponseEntity<Object> response = block(handler.handleRedis(new RedisCommandExecutionException(
                "OOM command not allowed when used memory > 'maxmemory'. script: 1f2e, on @user_script:9."),
                exchange));

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(response.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("30");
        assertThat(problem(response).getType()).isEqualTo(ProblemType.JOB_STORE_FULL.uri());
        assertThat(problem(response).getDetail()).isEqualTo("the job store is full and takes no new jobs; retry later");
    }

    @Test
    void answers500ForACommandRedisRefused() {
        ResponseEntity<Object> response = block(handler.handleRedis(
                new RedisCommandExecutionException("ERR Error running script"), exchange));

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
        assertThat(problem(response).getDetail()).doesNotContain("ERR");
    }

    @Test
    void neverShowsInternalsForUnexpectedErrors() {
        ResponseEntity<Object> response = block(handler.handleUnexpected(
                new IllegalStateException("secret internals at line 42"), exchange));

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
        assertThat(problem(response).getDetail()).isEqualTo("internal error; the request may be retried");
    }

    @Test
    void keepsTheStatusAndHeadersOfErrorResponses() {
        RetryLaterException busy = new RetryLaterException(ProblemType.NO_WORKER.problem("busy"),
                Duration.ofSeconds(7));

        ResponseEntity<Object> response = block(handler.handleException(busy, exchange));

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(response.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("7");
        assertThat(problem(response).getDetail()).isEqualTo("busy");
    }

    @Test
    void givesFrameworkErrorsADetail() {
        ResponseEntity<Object> response = block(handler.handleException(
                new ResponseStatusException(HttpStatus.NOT_FOUND, "No static resource nope."), exchange));

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(problem(response).getDetail()).isEqualTo("No static resource nope.");
    }

    @Test
    void givesFrameworkErrorsTheTypeOfTheirStatus() {
        ResponseEntity<Object> notFound = block(handler.handleException(
                new ResponseStatusException(HttpStatus.NOT_FOUND, "No static resource nope."), exchange));
        ResponseEntity<Object> unsupported = block(handler.handleException(
                new ResponseStatusException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "no xml"), exchange));

        assertThat(problem(notFound).getType()).isEqualTo(ProblemType.NOT_FOUND.uri());
        assertThat(problem(notFound).getTitle()).isEqualTo(ProblemType.NOT_FOUND.title());
        assertThat(problem(unsupported).getType()).isEqualTo(ProblemType.HTTP_ERROR.uri());
        assertThat(problem(unsupported).getStatus()).isEqualTo(415);
    }

    @Test
    void keepsTheTypeOfATypedProblem() {
        ResponseEntity<Object> response = block(handler.handleException(
                new RetryLaterException(ProblemType.NO_WORKER.problem("none"), Duration.ofSeconds(1)), exchange));

        assertThat(problem(response).getType()).isEqualTo(ProblemType.NO_WORKER.uri());
    }

    @Test
    void typesInternalErrors() {
        ResponseEntity<Object> response = block(handler.handleUnexpected(new IllegalStateException("bug"), exchange));

        assertThat(problem(response).getType()).isEqualTo(ProblemType.INTERNAL_ERROR.uri());
    }

    @Test
    void countsEachRejectionOnceByReason() {
        block(handler.handleQueueFull(new QueueFullException(1000), exchange));
        block(handler.handleRedis(new RedisConnectionException("Unable to connect"), exchange));
        block(handler.handleException(new ResponseStatusException(HttpStatus.BAD_REQUEST, "bad"), exchange));
        block(handler.handleUnexpected(new IllegalStateException("bug"), exchange));

        assertThat(rejected("queue_full")).isEqualTo(1);
        assertThat(rejected("redis_unavailable")).isEqualTo(1);
        assertThat(rejected("invalid")).isEqualTo(1);
        assertThat(meters.find("rrunner.requests.rejected").counters())
                .extracting(c -> c.count()).containsOnly(0.0, 1.0);
    }

    private double rejected(String reason) {
        return meters.get("rrunner.requests.rejected").tag("reason", reason).counter().count();
    }

    private static ResponseEntity<Object> block(Mono<ResponseEntity<Object>> response) {
        return response.block(WAIT);
    }

    private static ProblemDetail problem(ResponseEntity<Object> response) {
        assertThat(response.getBody()).isInstanceOf(ProblemDetail.class);
        return (ProblemDetail) response.getBody();
    }
}
