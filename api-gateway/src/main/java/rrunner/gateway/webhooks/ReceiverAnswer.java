package rrunner.gateway.webhooks;

import java.time.Duration;
import java.util.Optional;

/**
 * How one attempt went, before the rules decide what follows.
 *
 * @param status the HTTP status the receiver answered; null when it answered none
 * @param retryAfter the wait the receiver asked for, if it did
 * @param error why no answer came (refused address, connection error, timeout); null when one came
 * @param refused whether the attempt was not even made: its address became one webhooks may not reach
 */
record ReceiverAnswer(Integer status, Optional<Duration> retryAfter, String error, boolean refused) {

    static ReceiverAnswer answered(int status, Optional<Duration> retryAfter) {
        return new ReceiverAnswer(status, retryAfter, null, false);
    }

    static ReceiverAnswer noAnswer(String error) {
        return new ReceiverAnswer(null, Optional.empty(), error, false);
    }

    static ReceiverAnswer refused(String error) {
        return new ReceiverAnswer(null, Optional.empty(), error, true);
    }
}
