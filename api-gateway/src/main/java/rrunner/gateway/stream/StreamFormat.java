package rrunner.gateway.stream;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import reactor.core.publisher.Flux;

/** The two ways a job's events are streamed, and which one a request's {@code Accept} header asks for. */
public enum StreamFormat {

    /** One JSON object per line. */
    NDJSON(MediaType.APPLICATION_NDJSON),
    /** Server-Sent Events: event name = type, id = stream entry id, data = the same JSON object. */
    SSE(MediaType.TEXT_EVENT_STREAM);

    private static final ServerSentEvent<StreamEvent> KEEP_ALIVE =
            ServerSentEvent.<StreamEvent>builder().comment("keep-alive").build();

    private final MediaType mediaType;

    StreamFormat(MediaType mediaType) {
        this.mediaType = mediaType;
    }

    public MediaType mediaType() {
        return mediaType;
    }

    /**
     * The stream format the client prefers, or empty when it prefers plain JSON: the first of the accepted types,
     * by quality, that names NDJSON, SSE or JSON ({@code *}{@code /*} counts as JSON). Other types are skipped,
     * and an unreadable header asks for nothing (content negotiation answers it as it answers any request).
     */
    public static Optional<StreamFormat> requested(HttpHeaders headers) {
        List<MediaType> accepted;
        try {
            accepted = headers.getAccept();
        } catch (InvalidMediaTypeException unreadable) {
            return Optional.empty();
        }
        List<MediaType> byQuality = accepted.stream()
                .filter(type -> type.getQualityValue() > 0)
                .sorted(Comparator.comparingDouble(MediaType::getQualityValue).reversed())
                .toList();
        for (MediaType type : byQuality) {
            for (StreamFormat format : values()) {
                if (type.equalsTypeAndSubtype(format.mediaType)) {
                    return Optional.of(format);
                }
            }
            if (type.includes(MediaType.APPLICATION_JSON)) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** A 200 that streams {@code events} in this format: NDJSON writes them as they are, SSE frames each one. */
    public ResponseEntity<Flux<?>> respond(Flux<StreamEvent> events) {
        Flux<?> body = this == SSE ? events.map(StreamFormat::serverSentEvent) : events;
        return ResponseEntity.ok().contentType(mediaType).body(body);
    }

    /** why a comment for a keep-alive: EventSource ignores comments, so browsers need not know the event. */
    private static ServerSentEvent<StreamEvent> serverSentEvent(StreamEvent event) {
        if (event instanceof StreamEvent.KeepAlive) {
            return KEEP_ALIVE;
        }
        return ServerSentEvent.builder(event).id(event.id()).event(event.type()).build();
    }
}
