package rrunner.gateway.problem;

import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisLoadingException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import rrunner.common.queue.IdempotencyKeyReusedException;
import rrunner.common.queue.QueueFullException;
import rrunner.common.queue.TenantQueueFullException;
import rrunner.common.session.SessionRefusedException;

/**
 * Turns every error into a problem detail. Framework errors (404, 405, 415, unreadable input) and our
 * {@link org.springframework.web.ErrorResponseException}s are handled by the base class; this adds the
 * exceptions that come from {@code common} and Lettuce, which know nothing of HTTP.
 */
@RestControllerAdvice
public class ProblemHandler extends ResponseEntityExceptionHandler {

    /** Long enough for a worker to drain a few jobs or Lettuce to reconnect; short enough to feel live. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(5);
    /**
     * A full Redis frees memory only as finished jobs expire (RESULT_TTL) or an operator steps in, not within
     * seconds; retrying sooner would only add refused writes.
     */
    static final Duration FULL_RETRY_AFTER = Duration.ofSeconds(30);
    /** The error reply Redis gives every write over {@code maxmemory} with {@code noeviction}, scripts included. */
    private static final String OUT_OF_MEMORY = "OOM ";

    private static final Logger LOG = LoggerFactory.getLogger(ProblemHandler.class);

    private final RejectionCounter rejected;

    public ProblemHandler(RejectionCounter rejected) {
        this.rejected = rejected;
    }

    @ExceptionHandler(QueueFullException.class)
    public Mono<ResponseEntity<Object>> handleQueueFull(QueueFullException ex, ServerWebExchange exchange) {
        return handleException(queueFull(ex), exchange);
    }

    /** The 429 a full queue answers, wherever the job came from. */
    public static RetryLaterException queueFull(QueueFullException ex) {
        return new RetryLaterException(ProblemType.QUEUE_FULL.problem(ex.getMessage()), RETRY_AFTER, ex);
    }

    @ExceptionHandler(TenantQueueFullException.class)
    public Mono<ResponseEntity<Object>> handleTenantQueueFull(TenantQueueFullException ex,
            ServerWebExchange exchange) {
        return handleException(new QuotaExceededException(ProblemType.TENANT_QUEUE_FULL, ex.getMessage(), ex.limit(),
                ex.current(), RETRY_AFTER), exchange);
    }

    @ExceptionHandler(IdempotencyKeyReusedException.class)
    public Mono<ResponseEntity<Object>> handleIdempotencyKeyReused(IdempotencyKeyReusedException ex,
            ServerWebExchange exchange) {
        return handleException(new ErrorResponseException(HttpStatus.UNPROCESSABLE_CONTENT,
                ProblemType.IDEMPOTENCY_KEY_REUSED.problem(ex.getMessage()), ex), exchange);
    }

    /** Decided by Redis in the step that checked, so the answer is exactly what stood in the way. */
    @ExceptionHandler(SessionRefusedException.class)
    public Mono<ResponseEntity<Object>> handleSessionRefused(SessionRefusedException ex, ServerWebExchange exchange) {
        return handleException(SessionProblems.of(ex), exchange);
    }

    @ExceptionHandler(RedisException.class)
    public Mono<ResponseEntity<Object>> handleRedis(RedisException ex, ServerWebExchange exchange) {
        if (isOutOfMemory(ex)) {
            LOG.warn("Redis refused a write: it is at maxmemory");
            return handleException(new RetryLaterException(
                    ProblemType.JOB_STORE_FULL.problem("the job store is full and takes no new jobs; retry later"),
                    FULL_RETRY_AFTER, ex), exchange);
        }
        if (!isUnavailable(ex)) {
            return handleUnexpected(ex, exchange);
        }
        // why no cause in the detail: Lettuce's messages name hosts and ports, which callers have no use for
        LOG.warn("Redis unavailable: {}", ex.toString());
        return handleException(new RetryLaterException(
                ProblemType.JOB_STORE_UNAVAILABLE.problem("the job store is unavailable; retry later"), RETRY_AFTER,
                ex), exchange);
    }

    @ExceptionHandler(Exception.class)
    public Mono<ResponseEntity<Object>> handleUnexpected(Exception ex, ServerWebExchange exchange) {
        LOG.error("Unexpected error on {} {}", exchange.getRequest().getMethod(),
                exchange.getRequest().getPath(), ex);
        ProblemDetail body = ProblemType.INTERNAL_ERROR.problem("internal error; the request may be retried");
        return handleExceptionInternal(ex, body, new HttpHeaders(), HttpStatus.INTERNAL_SERVER_ERROR, exchange);
    }

    /**
     * Every answer of this advice passes here, so each rejection is counted once, whichever handler made it, and
     * each problem the framework made itself (no route, wrong method) gets a type too.
     */
    @Override
    protected Mono<ResponseEntity<Object>> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
            HttpStatusCode status, ServerWebExchange exchange) {
        rejected.count(status, ex);
        return super.handleExceptionInternal(ex, body, headers, status, exchange).map(answer -> {
            if (answer.getBody() instanceof ProblemDetail problem) {
                ProblemType.typeIfUntyped(problem);
                // why: left to negotiation, an Accept that also lists text/event-stream (as generated clients of
                // POST /run send) got the problem framed as a server-sent event
                return ResponseEntity.status(answer.getStatusCode()).headers(answer.getHeaders())
                        .contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
            }
            return answer;
        });
    }

    /** Redis answers a write over {@code maxmemory} with an error reply, not an outage: typed by its code. */
    private static boolean isOutOfMemory(RedisException ex) {
        return ex instanceof RedisCommandExecutionException && ex.getMessage() != null
                && ex.getMessage().startsWith(OUT_OF_MEMORY);
    }

    /**
     * Connection refused, timeouts and commands rejected while disconnected mean Redis is down or overloaded;
     * a command Redis refused (a script error) is a bug here, not an outage, except while Redis loads or is busy.
     */
    private static boolean isUnavailable(RedisException ex) {
        return !(ex instanceof RedisCommandExecutionException)
                || ex instanceof RedisLoadingException
                || ex instanceof RedisBusyException;
    }
}
