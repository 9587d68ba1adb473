package rrunner.gateway.sessions;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import rrunner.common.queue.SessionStore;
import rrunner.common.queue.SessionStore.Condition;
import rrunner.common.redis.HeartbeatProperties;
import rrunner.common.session.SessionId;
import rrunner.common.session.SessionRecord;
import rrunner.common.session.SessionRefusedException;
import rrunner.common.session.SessionState;
import rrunner.gateway.config.OpenApiConfiguration;
import rrunner.gateway.problem.SessionProblems;
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

    /** A start that no worker took is usually a fleet with no room; one is freed in well under a minute. */
    private static final Duration NOT_STARTED_RETRY_AFTER = Duration.ofSeconds(5);

    private final RunRequestReader reader;
    private final RunAnswers answers;
    private final SessionStore sessions;
    private final SessionStarts starts;
    private final SessionsProperties properties;
    private final HeartbeatProperties heartbeat;

    SessionsController(RunRequestReader reader, RunAnswers answers, SessionStore sessions, SessionStarts starts,
            SessionsProperties properties, HeartbeatProperties heartbeat) {
        this.reader = reader;
        this.answers = answers;
        this.sessions = sessions;
        this.starts = starts;
        this.properties = properties;
        this.heartbeat = heartbeat;
    }

    /**
     * Answers once the session's R is ready (201), or still starting on a worker after {@code SESSION_START_TIMEOUT}
     * (201, {@code starting}); a session that ended while starting, or that no worker took, answers 503.
     */
    @PostMapping("/sessions")
    @Operation(operationId = "createSession", summary = "Start a live R session",
            security = @SecurityRequirement(name = OpenApiConfiguration.BEARER_AUTH))
    Mono<ResponseEntity<SessionView>> create(ServerWebExchange exchange) {
        SessionId id = SessionId.random();
        Tenant tenant = Tenant.of(exchange);
        return reader.readSessionSpec(exchange.getRequest(), properties.ttl(), properties.maxTtl(), tenant)
                .flatMap(spec -> sessions.open(id, tenant.id(), spec, properties.maxLifetime(),
                        properties.maxPerToken(), heartbeat.workerMaxAge()))
                .then(starts.awaitSettled(id).timeout(properties.startTimeout()))
                .onErrorResume(TimeoutException.class, e -> stillStarting(id, tenant.id()))
                .flatMap(session -> switch (session.state()) {
                    case READY, BUSY, STARTING -> Mono.just(ResponseEntity.created(URI.create("/sessions/" + id))
                            .body(SessionView.of(session)));
                    default -> Mono.error(SessionProblems.notStarted(id.value(), session.reason(),
                            NOT_STARTED_RETRY_AFTER));
                });
    }

    /** A start no worker took is abandoned, in the step that checks, so a worker can't take it afterwards. */
    private Mono<SessionRecord> stillStarting(SessionId id, String owner) {
        return sessions.end(id, SessionState.LOST, "no worker started it within " + properties.startTimeout()
                        .toSeconds() + " s", Condition.UNCLAIMED, owner)
                .then(sessions.find(id));
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
        return live(id, Tenant.of(exchange).id()).map(SessionView::of);
    }

    @DeleteMapping("/sessions/{id}")
    @Operation(operationId = "deleteSession", summary = "End a session and remove its container",
            security = @SecurityRequirement(name = OpenApiConfiguration.BEARER_AUTH))
    Mono<ResponseEntity<Void>> delete(@PathVariable String id, ServerWebExchange exchange) {
        String owner = Tenant.of(exchange).id();
        return parse(id).flatMap(session -> sessions.end(session, SessionState.DELETED, "deleted by its owner",
                        Condition.ALWAYS, owner)
                .map(left -> ResponseEntity.noContent().<Void>build())
                // why: it had ended already, which the id's 410 says with the reason
                .switchIfEmpty(Mono.defer(() -> live(id, owner).map(still -> ResponseEntity.noContent().build()))));
    }

    @PostMapping("/sessions/{id}/keepalive")
    @Operation(operationId = "keepSessionAlive", summary = "Start a session's idle time again",
            security = @SecurityRequirement(name = OpenApiConfiguration.BEARER_AUTH))
    Mono<SessionView> keepalive(@PathVariable String id, ServerWebExchange exchange) {
        String owner = Tenant.of(exchange).id();
        return parse(id).flatMap(session -> sessions.keepalive(session, owner)).then(live(id, owner))
                .map(SessionView::of);
    }

    /** The same body, answers and streaming variants as {@code POST /run}, run in the session's live R. */
    @PostMapping("/sessions/{id}/exec")
    @Operation(operationId = "execInSession", summary = "Run an R script in a session's live R",
            security = @SecurityRequirement(name = OpenApiConfiguration.BEARER_AUTH))
    Mono<ResponseEntity<?>> exec(@PathVariable String id, ServerWebExchange exchange) {
        return parse(id).flatMap(session -> answers.answer(exchange,
                reader.readExecSpec(exchange.getRequest(), session, Tenant.of(exchange))));
    }

    /** The caller's session while it lives; 410 once it ended, 404 when unknown, malformed or another caller's. */
    private Mono<SessionRecord> live(String id, String owner) {
        return parse(id).flatMap(session -> sessions.findOwned(session, owner)
                .switchIfEmpty(Mono.error(() -> SessionRefusedException.notFound(session))))
                .flatMap(session -> session.state().isTerminal()
                        ? Mono.error(SessionRefusedException.ended(session.id(), session.state(), session.reason()))
                        : Mono.just(session));
    }

    private static Mono<SessionId> parse(String id) {
        return SessionId.isWellFormed(id) ? Mono.just(new SessionId(id))
                : Mono.error(SessionProblems.notFound(id));
    }
}
