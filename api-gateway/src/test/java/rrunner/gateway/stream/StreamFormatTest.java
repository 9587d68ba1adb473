package rrunner.gateway.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

class StreamFormatTest {

    @ParameterizedTest(name = "Accept: {0} -> {1}")
    @CsvSource(delimiter = '|', nullValues = "none", value = {
            "none | none",
            "*/* | none",
            "application/json | none",
            "application/x-ndjson | NDJSON",
            "text/event-stream | SSE",
            "text/event-stream;charset=UTF-8 | SSE",
            "application/json, application/x-ndjson;q=0.5 | none",
            "application/x-ndjson;q=0.5, text/event-stream | SSE",
            "text/html, application/x-ndjson | NDJSON",
            "application/x-ndjson;q=0, */* | none",
            "not a media type | none"})
    void picksTheStreamFormatTheClientPrefers(String accept, StreamFormat expected) {
        HttpHeaders headers = new HttpHeaders();
        if (accept != null) {
            headers.set(HttpHeaders.ACCEPT, accept);
        }

        assertThat(StreamFormat.requested(headers)).isEqualTo(Optional.ofNullable(expected));
    }

    @Test
    void framesAKeepAliveAsAServerSentEventComment() {
        Flux<StreamEvent> events = Flux.just(StreamEvent.KeepAlive.INSTANCE,
                new StreamEvent.Progress("1-0", "stdout", "x"));

        StepVerifier.create(sse(StreamFormat.SSE.respond(events)))
                .assertNext(event -> {
                    assertThat(event.comment()).isEqualTo("keep-alive");
                    assertThat(event.event()).isNull();
                    assertThat(event.data()).isNull();
                })
                .assertNext(event -> {
                    assertThat(event.id()).isEqualTo("1-0");
                    assertThat(event.event()).isEqualTo("stdout");
                })
                .expectComplete()
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void writesNdjsonAsTheEventsThemselvesKeepAlivesIncluded() {
        Flux<StreamEvent> events = Flux.just(StreamEvent.KeepAlive.INSTANCE);
        ResponseEntity<Flux<?>> response = StreamFormat.NDJSON.respond(events);

        assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_NDJSON);
        assertThat(response.getBody()).isSameAs(events);
    }

    @SuppressWarnings("unchecked")
    private static Flux<ServerSentEvent<StreamEvent>> sse(ResponseEntity<Flux<?>> response) {
        assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.TEXT_EVENT_STREAM);
        return (Flux<ServerSentEvent<StreamEvent>>) response.getBody();
    }
}
