package rrunner.gateway.webhooks;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * Posts one attempt with Reactor Netty to the addresses that were checked for its URL: a new connection each time
 * (a pooled one could have been opened to an address checked earlier), no redirects followed, no automatic retry,
 * bounded in time to connect and to the response's head, and no response body read at all.
 */
@Component
class WebhookSender {

    private final Duration timeout;

    WebhookSender(WebhookProperties properties) {
        this.timeout = properties.timeout();
    }

    Mono<ReceiverAnswer> send(WebhookUrl url, List<InetAddress> addresses, Map<String, String> headers, byte[] body) {
        return Mono.usingWhen(Mono.fromSupplier(() -> new PinnedAddresses(url.host(), addresses)),
                        pinned -> post(pinned, url, headers, body),
                        pinned -> Mono.fromRunnable(pinned::close))
                .timeout(timeout.multipliedBy(2))
                .onErrorResume(e -> Mono.just(ReceiverAnswer.noAnswer(describe(e))));
    }

    private Mono<ReceiverAnswer> post(PinnedAddresses pinned, WebhookUrl url, Map<String, String> headers,
            byte[] body) {
        return HttpClient.newConnection()
                .resolver(pinned)
                .followRedirect(false)
                .disableRetry(true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, Math.toIntExact(timeout.toMillis()))
                .responseTimeout(timeout)
                .headers(request -> {
                    headers.forEach(request::set);
                    request.set(HttpHeaderNames.CONTENT_LENGTH, body.length);
                })
                .post()
                .uri(url.uri())
                .send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(body)))
                // why response(): only the status and headers count, and it releases the body unread
                .response()
                .map(response -> ReceiverAnswer.answered(response.status().code(),
                        RetryAfter.parse(response.responseHeaders().get(HttpHeaderNames.RETRY_AFTER), Instant.now())));
    }

    private String describe(Throwable error) {
        if (error instanceof TimeoutException || error.getClass().getSimpleName().contains("Timeout")) {
            return "no answer within " + timeout.toMillis() + " ms";
        }
        return "no answer: " + (error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage());
    }
}
