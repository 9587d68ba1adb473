package rrunner.common.queue;

/**
 * A job's webhook delivery as stored with the job.
 *
 * @param url where it goes
 * @param status where it stands
 * @param attempts how many attempts were started, the one in flight included
 * @param lastError why the last attempt failed; null when none did
 * @param lastStatusCode the HTTP status the receiver answered the last attempt with; null when it answered none
 */
public record WebhookDelivery(String url, WebhookStatus status, int attempts, String lastError,
        Integer lastStatusCode) {
}
