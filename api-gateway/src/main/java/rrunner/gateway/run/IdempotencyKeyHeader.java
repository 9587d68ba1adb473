package rrunner.gateway.run;

import java.util.List;
import java.util.Optional;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import rrunner.common.queue.IdempotencyKey;

/**
 * The {@code Idempotency-Key} request header of {@code POST /run} and {@code POST /jobs} (IETF httpapi draft, with
 * Stripe's rules) and the {@code Idempotent-Replayed} header of an answer that an earlier request with the key made.
 */
public final class IdempotencyKeyHeader {

    public static final String HEADER = "Idempotency-Key";
    public static final String REPLAYED = "Idempotent-Replayed";
    /** Stripe's limit; the draft sets none, but a key is an id, not a payload. */
    public static final int MAX_LENGTH = 255;

    private IdempotencyKeyHeader() {
    }

    /** The request's key, or empty without one; 400 unless it is one value of 1 to 255 printable ASCII characters. */
    public static Optional<IdempotencyKey> read(ServerHttpRequest request) {
        List<String> values = request.getHeaders().getOrEmpty(HEADER);
        if (values.isEmpty()) {
            return Optional.empty();
        }
        if (values.size() > 1) {
            throw new InvalidIdempotencyKeyException("send one Idempotency-Key, not " + values.size());
        }
        String key = values.get(0);
        if (key.isEmpty() || key.length() > MAX_LENGTH) {
            throw new InvalidIdempotencyKeyException(
                    "an Idempotency-Key has 1 to " + MAX_LENGTH + " characters, not " + key.length());
        }
        if (!key.chars().allMatch(c -> c >= ' ' && c <= '~')) {
            throw new InvalidIdempotencyKeyException("an Idempotency-Key is printable ASCII only");
        }
        return Optional.of(new IdempotencyKey(key));
    }

    /** {@code answer}, saying so when it is the replay of what an earlier request with the same key made. */
    public static <T> ResponseEntity<T> marked(ResponseEntity<T> answer, boolean replayed) {
        return replayed ? ResponseEntity.status(answer.getStatusCode()).headers(answer.getHeaders())
                .header(REPLAYED, "true").body(answer.getBody()) : answer;
    }
}
