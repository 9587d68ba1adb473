package rrunner.gateway.jobs;

import com.fasterxml.jackson.annotation.JsonProperty;
import rrunner.common.queue.WebhookDelivery;

/**
 * A job's webhook delivery as {@code /jobs} shows it.
 *
 * @param url where it goes
 * @param status {@code pending} until an attempt is delivered ({@code delivered}) or it gives up ({@code failed})
 * @param attempts how many attempts were started; 0 until the job ends
 * @param lastError why the last attempt failed; null when none did
 * @param lastStatusCode the HTTP status the receiver answered the last attempt with; null when it answered none
 */
record WebhookView(
        @JsonProperty("url") String url,
        @JsonProperty("status") String status,
        @JsonProperty("attempts") int attempts,
        @JsonProperty("last_error") String lastError,
        @JsonProperty("last_status_code") Integer lastStatusCode) {

    static WebhookView of(WebhookDelivery delivery) {
        return new WebhookView(delivery.url(), delivery.status().wireName(), delivery.attempts(), delivery.lastError(),
                delivery.lastStatusCode());
    }
}
