package rrunner.gateway.mcp;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.HttpHeaders;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStreamableServerSession;
import io.modelcontextprotocol.spec.McpStreamableServerTransport;
import io.modelcontextprotocol.spec.McpStreamableServerTransportProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import rrunner.gateway.problem.ProblemResponseWriter;
import rrunner.gateway.run.RunRequestReader;
import rrunner.gateway.tenants.Tenant;

/**
 * MCP's streamable HTTP transport on WebFlux: {@code POST /mcp} takes one JSON-RPC message (an initialize answers
 * JSON with the session id; any other request answers an SSE stream carrying its progress and then its response),
 * {@code GET /mcp} opens the session's stream for server-initiated messages, {@code DELETE /mcp} ends the session.
 * why here and not the SDK's: its WebFlux transport left the SDK in 1.0 for a Spring AI module this build can't
 * use; this follows the 0.18 one (MIT), plus the client's cancel, which the SDK's server leaves unhandled.
 * Authentication happens before, in the Bearer token filter.
 */
@Component
public class StreamableHttpTransport implements McpStreamableServerTransportProvider {

    private static final String MESSAGE_EVENT = "message";

    private final McpJsonMapper json;
    private final McpCancellations cancellations;
    private final McpSessions sessions;
    private final RunRequestReader reader;
    private final ProblemResponseWriter problems;
    private volatile McpStreamableServerSession.Factory sessionFactory;

    StreamableHttpTransport(McpJsonMapper json, McpCancellations cancellations, McpSessions sessions,
            RunRequestReader reader, ProblemResponseWriter problems) {
        this.json = json;
        this.cancellations = cancellations;
        this.sessions = sessions;
        this.reader = reader;
        this.problems = problems;
    }

    public RouterFunction<ServerResponse> routes() {
        return RouterFunctions.route()
                // why deferred: a refusal thrown while a handler starts must reach onError below as a signal
                .GET(McpProtocol.ENDPOINT, request -> Mono.defer(() -> listen(request)))
                .POST(McpProtocol.ENDPOINT, request -> Mono.defer(() -> post(request)))
                .DELETE(McpProtocol.ENDPOINT, request -> Mono.defer(() -> delete(request)))
                // why: the gateway's problem handler serves annotated controllers only, not router functions
                .onError(ErrorResponseException.class, (error, request) -> problems.respond(request.exchange(),
                        (ErrorResponseException) error))
                .build();
    }

    @Override
    public void setSessionFactory(McpStreamableServerSession.Factory sessionFactory) {
        this.sessionFactory = sessionFactory;
    }

    @Override
    public Mono<Void> notifyClients(String method, Object params) {
        return Flux.fromIterable(sessions.all())
                .flatMap(session -> session.sendNotification(method, params).onErrorComplete())
                .then();
    }

    @Override
    public Mono<Void> closeGracefully() {
        return Flux.fromIterable(sessions.all())
                .flatMap(McpStreamableServerSession::closeGracefully)
                .then(Mono.fromRunnable(sessions::clear));
    }

    private Mono<ServerResponse> listen(ServerRequest request) {
        if (!request.headers().accept().contains(MediaType.TEXT_EVENT_STREAM)) {
            return Mono.error(McpProblems.invalid("Accept must include text/event-stream"));
        }
        McpStreamableServerSession session = session(request);
        return ServerResponse.ok().contentType(MediaType.TEXT_EVENT_STREAM)
                .body(Flux.<ServerSentEvent<?>>create(sink -> {
                    McpStreamableServerSession.McpStreamableServerSessionStream stream =
                            session.listeningStream(new SinkTransport(sink));
                    sink.onDispose(stream::close);
                }), ServerSentEvent.class);
    }

    private Mono<ServerResponse> post(ServerRequest request) {
        var accept = request.headers().accept();
        if (!accept.contains(MediaType.APPLICATION_JSON) || !accept.contains(MediaType.TEXT_EVENT_STREAM)) {
            return Mono.error(McpProblems.invalid("Accept must include application/json and text/event-stream"));
        }
        return reader.readCappedBody(request.exchange().getRequest())
                .flatMap(body -> {
                    McpSchema.JSONRPCMessage message;
                    try {
                        message = McpSchema.deserializeJsonRpcMessage(json, new String(body, StandardCharsets.UTF_8));
                    } catch (IOException | RuntimeException e) {
                        // why any runtime failure: the SDK and Jackson throw several kinds for untrusted input
                        return Mono.error(McpProblems.invalid("the body is not one JSON-RPC message"));
                    }
                    return dispatch(request, message);
                });
    }

    private Mono<ServerResponse> dispatch(ServerRequest request, McpSchema.JSONRPCMessage message) {
        if (message instanceof McpSchema.JSONRPCRequest call && McpSchema.METHOD_INITIALIZE.equals(call.method())) {
            return initialize(call, Tenant.of(request.exchange()));
        }
        McpStreamableServerSession session = session(request);
        if (message instanceof McpSchema.JSONRPCNotification notice && McpProtocol.CANCELLED.equals(notice.method())) {
            Object requestId = notice.params() instanceof Map<?, ?> params ? params.get("requestId") : null;
            cancellations.cancel(session.getId(), requestId);
            return ServerResponse.accepted().build();
        }
        if (message instanceof McpSchema.JSONRPCNotification notice) {
            return session.accept(notice).then(ServerResponse.accepted().build());
        }
        if (message instanceof McpSchema.JSONRPCResponse response) {
            return session.accept(response).then(ServerResponse.accepted().build());
        }
        McpSchema.JSONRPCRequest call = (McpSchema.JSONRPCRequest) message;
        McpTransportContext context = McpTransportContext.create(Map.of(
                McpProtocol.CONTEXT_SESSION, session.getId(), McpProtocol.CONTEXT_REQUEST, call.id(),
                McpProtocol.CONTEXT_TENANT, Tenant.of(request.exchange())));
        return ServerResponse.ok().contentType(MediaType.TEXT_EVENT_STREAM)
                .body(Flux.<ServerSentEvent<?>>create(sink -> {
                    Disposable answering = session.responseStream(call, new SinkTransport(sink))
                            .onErrorComplete(e -> {
                                sink.error(e);
                                return true;
                            })
                            // why: a Flux.create sink does not see the outer context, so the tool would not either
                            .contextWrite(ctx -> ctx.put(McpTransportContext.KEY, context))
                            .doFinally(signal -> sessions.touch(session.getId()))
                            .subscribe();
                    sink.onCancel(answering);
                }), ServerSentEvent.class);
    }

    private Mono<ServerResponse> initialize(McpSchema.JSONRPCRequest call, Tenant tenant) {
        McpSchema.InitializeRequest initialize = json.convertValue(call.params(),
                new TypeRef<McpSchema.InitializeRequest>() { });
        McpStreamableServerSession.McpStreamableServerSessionInit init = sessionFactory.startSession(initialize);
        sessions.add(init.session(), tenant.id());
        return init.initResult()
                .map(result -> write(McpSchema.JSONRPCResponse.result(call.id(), result)))
                .flatMap(body -> ServerResponse.ok().contentType(MediaType.APPLICATION_JSON)
                        .header(HttpHeaders.MCP_SESSION_ID, init.session().getId())
                        .bodyValue(body));
    }

    private Mono<ServerResponse> delete(ServerRequest request) {
        McpStreamableServerSession session = session(request);
        sessions.remove(session.getId());
        return session.delete().then(ServerResponse.ok().build());
    }

    /** The caller's session named by the request; a missing id is a 400, an unknown or another's a 404. */
    private McpStreamableServerSession session(ServerRequest request) {
        String id = request.headers().firstHeader(HttpHeaders.MCP_SESSION_ID);
        if (id == null) {
            throw McpProblems.invalid("no Mcp-Session-Id header; send initialize first and echo the id it answers");
        }
        return sessions.find(id, Tenant.of(request.exchange()).id()).orElseThrow(McpProblems::sessionNotFound);
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException("could not write an MCP message", e);
        }
    }

    /** One SSE response: each message the session sends on it is one {@code message} event. */
    private final class SinkTransport implements McpStreamableServerTransport {

        private final FluxSink<ServerSentEvent<?>> sink;

        SinkTransport(FluxSink<ServerSentEvent<?>> sink) {
            this.sink = sink;
        }

        @Override
        public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
            return sendMessage(message, null);
        }

        @Override
        public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message, String messageId) {
            ServerSentEvent.Builder<String> event = ServerSentEvent.builder(write(message)).event(MESSAGE_EVENT);
            return Mono.fromRunnable(() -> sink.next(messageId == null ? event.build() : event.id(messageId).build()));
        }

        @Override
        public <T> T unmarshalFrom(Object data, TypeRef<T> type) {
            return json.convertValue(data, type);
        }

        @Override
        public Mono<Void> closeGracefully() {
            return Mono.fromRunnable(sink::complete);
        }

        @Override
        public void close() {
            sink.complete();
        }
    }
}
