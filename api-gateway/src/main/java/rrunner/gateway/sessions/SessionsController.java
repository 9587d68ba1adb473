package rrunner.gateway.sessions;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import rrunner.common.queue.SessionStore;
import rrunner.gateway.config.OpenApiConfiguration;
import rrunner.gateway.run.RunAnswers;
import rrunner.gateway.run.RunRequestReader;
import rrunner.gateway.tenants.Tenant;

/**
 * {@code /sessions}: create a live R session, run execs in it, keep it alive, delete it. An ended session's id
 * answers 410 with why it ended for {@code RESULT_TTL}, then 404, as an unknown one does.
 */
@RestController
@Tag(name = "sessions", description = "Live R sessions that keep objects and packages between execs")
class SessionsController {

    private final RunRequestReader reader;
    private final RunAnswers answers;
    private final SessionStore sessions;
    private final SessionOpener opener;
    private final SessionCloser closer;
    private final SessionLookup lookup;
    private final SessionsProperties properties;

    SessionsController(RunRequestReader reader, RunAnswers answers, SessionStore sessions, SessionOpener opener,
            SessionCloser closer, SessionLookup lookup, SessionsProperties properties) {
        this.reader = reader;
        this.answers = answers;
        this.sessions = sessions;
        this.opener = opener;
        this.closer = closer;
        this.lookup = lookup;
        this.properties = properties;
    }

    /**
     * Answers once the session's R is ready (201), or still starting on a worker after {@code SESSION_START_TIMEOUT}
     * (201, {@code starting}); a session that ended while starting, or that no worker took, answers 503.
     */
    @PostMapping("/sessions")
    @Operation(operationId = "createSession", summary = "Start a live R session",
            security = @SecurityRequirement(name = OpenApiConfiguration.BEARER_AUTH))
    Mono<ResponseEntity<SessionView>> create(ServerWebExchange exchange) {
        Tenant tenant = Tenant.of(exchange);
        return opener.open(reader.readSessionSpec(exchange.getRequest(), properties.ttl(), properties.maxTtl(),
                        tenant), tenant.id())
                .map(view -> ResponseEntity.created(URI.create("/sessions/" + view.id())).body(view));
    }

    @GetMapping("/sessions")
    @Operation(operationId = "listSessions", summary = "List your sessions, live and recently ended",
            security = @SecurityRequirement(name = OpenApiConfiguration.BEARER_AUTH))
    Mono<List<SessionView>> list(ServerWebExchange exchange) {
        return sessions.listOwned(Tenant.of(exchange).id()).map(SessionView::of).collectList();
    }

    @GetMapping("/sessions/{id}")
    @Operation(operationId = "getSession", summary = "Get a session",
            security = @SecurityRequirement(name = OpenApiConfiguration.BEARER_AUTH))
    Mono<SessionView> get(@PathVariable String id, ServerWebExchange exchange) {
        return lookup.live(id, Tenant.of(exchange).id()).map(SessionView::of);
    }

    @DeleteMapping("/sessions/{id}")
    @Operation(operationId = "deleteSession", summary = "End a session and remove its container",
            security = @SecurityRequirement(name = OpenApiConfiguration.BEARER_AUTH))
    Mono<ResponseEntity<Void>> delete(@PathVariable String id, ServerWebExchange exchange) {
        return closer.close(id, Tenant.of(exchange).id()).thenReturn(ResponseEntity.noContent().build());
    }

    @PostMapping("/sessions/{id}/keepalive")
    @Operation(operationId = "keepSessionAlive", summary = "Start a session's idle time again",
            security = @SecurityRequirement(name = OpenApiConfiguration.BEARER_AUTH))
    Mono<SessionView> keepalive(@PathVariable String id, ServerWebExchange exchange) {
        String owner = Tenant.of(exchange).id();
        return SessionLookup.parse(id).flatMap(session -> sessions.keepalive(session, owner))
                .then(lookup.live(id, owner)).map(SessionView::of);
    }

    /** The same body, answers and streaming variants as {@code POST /run}, run in the session's live R. */
    @PostMapping("/sessions/{id}/exec")
    @Operation(operationId = "execInSession", summary = "Run an R script in a session's live R",
            security = @SecurityRequirement(name = OpenApiConfiguration.BEARER_AUTH))
    Mono<ResponseEntity<?>> exec(@PathVariable String id, ServerWebExchange exchange) {
        return SessionLookup.parse(id).flatMap(session -> answers.answer(exchange,
                reader.readExecSpec(exchange.getRequest(), session, Tenant.of(exchange))));
    }
}
