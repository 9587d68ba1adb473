package rrunner.common.queue;

import io.lettuce.core.KeyValue;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import rrunner.common.job.JobId;

/**
 * The webhook deliveries of ended jobs, kept in Redis ({@link RedisKeys#webhookSchedule}) so any gateway can send
 * them and a restart resumes them. A job's end schedules its delivery in the same step ({@code terminate} in
 * {@code prelude.lua}); each attempt is taken under a lease and its outcome recorded, each in one Lua step.
 */
public final class WebhookSchedule {

    private static final String[] FIELDS = JobField.WEBHOOK.stream().map(JobField::wireName).toArray(String[]::new);

    private final RedisKeys keys;
    private final RedisReactiveCommands<String, String> redis;
    private final LuaScript take;
    private final LuaScript record;

    public WebhookSchedule(RedisKeys keys, RedisReactiveCommands<String, String> redis) {
        this.keys = keys;
        this.redis = redis;
        this.take = LuaScript.load("webhook_take", keys);
        this.record = LuaScript.load("webhook_record", keys);
    }

    /**
     * Takes up to {@code most} due attempts, each leased for {@code lease}; a delivery whose {@code maxAttempts}
     * attempts were all taken (the last one's gateway died) is marked failed instead.
     */
    public Flux<DueDelivery> takeDue(Duration lease, int most, int maxAttempts) {
        return take.<List<Object>>run(redis, ScriptOutputType.MULTI, new String[] {keys.webhookSchedule()},
                        Long.toString(lease.toMillis()), Integer.toString(most), Integer.toString(maxAttempts))
                .next()
                .flatMapIterable(taken -> taken)
                .map(entry -> (List<?>) entry)
                .map(entry -> new DueDelivery(new JobId((String) entry.get(0)), (String) entry.get(1),
                        ((Long) entry.get(2)).intValue(), (String) entry.get(3),
                        Instant.ofEpochMilli((Long) entry.get(4)), Instant.ofEpochMilli((Long) entry.get(5))));
    }

    /** The attempt was delivered; false when its lease was lost to a later attempt (nothing recorded). */
    public Mono<Boolean> delivered(DueDelivery attempt, int httpStatus) {
        return record(attempt, WebhookStatus.DELIVERED, Duration.ZERO, Integer.toString(httpStatus), "");
    }

    /** The attempt failed and another is due in {@code retryIn}; false as for {@link #delivered}. */
    public Mono<Boolean> retry(DueDelivery attempt, Duration retryIn, Integer httpStatus, String error) {
        return record(attempt, WebhookStatus.PENDING, retryIn, code(httpStatus), error);
    }

    /** The attempt failed and the delivery gives up; false as for {@link #delivered}. */
    public Mono<Boolean> failed(DueDelivery attempt, Integer httpStatus, String error) {
        return record(attempt, WebhookStatus.FAILED, Duration.ZERO, code(httpStatus), error);
    }

    /** The job's delivery, or empty when the job has no webhook (or is gone). */
    public Mono<WebhookDelivery> find(JobId id) {
        return redis.hmget(keys.job(id), FIELDS)
                .filter(KeyValue::hasValue)
                .collectMap(KeyValue::getKey, KeyValue::getValue)
                .filter(hash -> JobField.WEBHOOK_URL.in(hash) != null)
                .map(WebhookSchedule::toDelivery);
    }

    private Mono<Boolean> record(DueDelivery attempt, WebhookStatus status, Duration retryIn, String code,
            String error) {
        return record.<Long>run(redis, ScriptOutputType.INTEGER,
                        new String[] {keys.webhookSchedule(), keys.job(attempt.job())}, attempt.job().value(),
                        Integer.toString(attempt.attempt()), status.wireName(), Long.toString(retryIn.toMillis()),
                        code, error == null ? "" : error)
                .next()
                .map(recorded -> recorded == 1);
    }

    private static String code(Integer httpStatus) {
        return httpStatus == null ? "" : httpStatus.toString();
    }

    private static WebhookDelivery toDelivery(Map<String, String> hash) {
        String error = JobField.WEBHOOK_ERROR.in(hash);
        String code = JobField.WEBHOOK_CODE.in(hash);
        return new WebhookDelivery(JobField.WEBHOOK_URL.in(hash),
                WebhookStatus.fromWireName(JobField.WEBHOOK_STATUS.in(hash)),
                Integer.parseInt(hash.getOrDefault(JobField.WEBHOOK_ATTEMPTS.wireName(), "0")),
                error == null || error.isEmpty() ? null : error,
                code == null || code.isEmpty() ? null : Integer.valueOf(code));
    }
}
