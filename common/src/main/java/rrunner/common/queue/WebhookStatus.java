package rrunner.common.queue;

import java.util.Locale;
import rrunner.common.job.WireNamed;

/** Where a job's webhook delivery stands: {@code pending} from the submit until an attempt succeeds or it gives up. */
public enum WebhookStatus implements WireNamed {
    PENDING,
    DELIVERED,
    FAILED;

    public static WebhookStatus fromWireName(String wireName) {
        return valueOf(wireName.toUpperCase(Locale.ROOT));
    }
}
