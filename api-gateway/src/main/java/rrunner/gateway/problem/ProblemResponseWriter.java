package rrunner.gateway.problem;

import java.net.URI;
import java.util.Map;
import org.springframework.core.ResolvableType;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.codec.HttpMessageWriter;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponse;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Writes a problem response from code that runs before any handler (a {@code WebFilter}), through the same
 * codecs the {@link ProblemHandler} uses, so a 401 from the filter reads like every other error, and is counted
 * as a rejection like them.
 */
@Component
public class ProblemResponseWriter {

    private static final ResolvableType PROBLEM = ResolvableType.forClass(ProblemDetail.class);

    private final HttpMessageWriter<ProblemDetail> writer;
    private final RejectionCounter rejected;

    @SuppressWarnings("unchecked")
    public ProblemResponseWriter(ServerCodecConfigurer codecs, RejectionCounter rejected) {
        this.writer = (HttpMessageWriter<ProblemDetail>) codecs.getWriters().stream()
                .filter(w -> w.canWrite(PROBLEM, MediaType.APPLICATION_PROBLEM_JSON))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no JSON codec can write problem details"));
        this.rejected = rejected;
    }

    public Mono<Void> write(ServerWebExchange exchange, ErrorResponse error) {
        ProblemDetail body = prepared(exchange, error);
        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(error.getStatusCode());
        response.getHeaders().addAll(error.getHeaders());
        return writer.write(Mono.just(body), PROBLEM, MediaType.APPLICATION_PROBLEM_JSON, response, Map.of());
    }

    /** The same problem as a router function's response, for endpoints outside the annotated controllers. */
    public Mono<ServerResponse> respond(ServerWebExchange exchange, ErrorResponse error) {
        ProblemDetail body = prepared(exchange, error);
        return ServerResponse.status(error.getStatusCode()).headers(headers -> headers.addAll(error.getHeaders()))
                .contentType(MediaType.APPLICATION_PROBLEM_JSON).bodyValue(body);
    }

    private ProblemDetail prepared(ServerWebExchange exchange, ErrorResponse error) {
        ProblemDetail body = error.getBody();
        ProblemType.typeIfUntyped(body);
        if (body.getInstance() == null) {
            body.setInstance(URI.create(exchange.getRequest().getPath().value()));
        }
        rejected.count(error.getStatusCode(), error instanceof Throwable cause ? cause : null);
        return body;
    }
}
