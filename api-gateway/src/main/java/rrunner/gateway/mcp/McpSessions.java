package rrunner.gateway.mcp;

import io.modelcontextprotocol.spec.McpStreamableServerSession;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;
import rrunner.gateway.problem.ProblemType;
import rrunner.gateway.problem.RetryLaterException;

/**
 * The MCP sessions this gateway holds, each bound to the tenant that initialized it, at most
 * {@code MCP_MAX_SESSIONS} of them, each dropped once idle past {@code MCP_SESSION_IDLE_TIMEOUT}. why no timer: an
 * idle session is dropped when it is next asked for or when room is needed, which is all the bound needs.
 */
@Component
class McpSessions {

    private final Map<String, Held> sessions = new ConcurrentHashMap<>();
    private final Duration idleTimeout;
    private final int maxSessions;

    McpSessions(McpProperties properties) {
        this.idleTimeout = properties.sessionIdleTimeout();
        this.maxSessions = properties.maxSessions();
    }

    /** Holds a new session for {@code tenant}; fails with a 503 {@code mcp-sessions-full} at the cap. */
    synchronized void add(McpStreamableServerSession session, String tenant) {
        dropIdle();
        if (sessions.size() >= maxSessions) {
            throw full();
        }
        sessions.put(session.getId(), new Held(session, tenant, now()));
    }

    /** {@code tenant}'s session {@code id}, marked used; empty when unknown, idle past the timeout or another's. */
    Optional<McpStreamableServerSession> find(String id, String tenant) {
        if (id == null) {
            return Optional.empty();
        }
        Held held = sessions.get(id);
        if (held == null || !held.tenant().equals(tenant)) {
            return Optional.empty();
        }
        if (held.isIdle(now(), idleTimeout)) {
            drop(id);
            return Optional.empty();
        }
        sessions.replace(id, held, held.usedAt(now()));
        return Optional.of(held.session());
    }

    /** Marks {@code id} used again, as a long call's end does, so it is not dropped for the time the call took. */
    void touch(String id) {
        sessions.computeIfPresent(id, (key, held) -> held.usedAt(now()));
    }

    void remove(String id) {
        sessions.remove(id);
    }

    Collection<McpStreamableServerSession> all() {
        return sessions.values().stream().map(Held::session).toList();
    }

    void clear() {
        sessions.clear();
    }

    private void dropIdle() {
        Instant now = now();
        List.copyOf(sessions.entrySet()).stream().filter(entry -> entry.getValue().isIdle(now, idleTimeout))
                .forEach(entry -> drop(entry.getKey()));
    }

    private void drop(String id) {
        Held held = sessions.remove(id);
        if (held != null) {
            held.session().closeGracefully().onErrorComplete().subscribe();
        }
    }

    /** why Retry-After the soonest idle expiry: no session can be dropped before then, so no retry succeeds. */
    private RetryLaterException full() {
        Instant now = now();
        Duration soonest = sessions.values().stream().map(held -> Duration.between(now,
                held.usedAt().plus(idleTimeout))).min(Duration::compareTo).orElse(idleTimeout);
        var problem = ProblemType.MCP_SESSIONS_FULL.problem("this gateway holds " + sessions.size()
                + " MCP sessions, its MCP_MAX_SESSIONS; one is freed when a client deletes its session or leaves "
                + "it idle for " + idleTimeout.toSeconds() + " s");
        problem.setProperty("limit", maxSessions);
        return new RetryLaterException(problem, soonest);
    }

    private static Instant now() {
        return Instant.now();
    }

    private record Held(McpStreamableServerSession session, String tenant, Instant usedAt) {

        boolean isIdle(Instant now, Duration timeout) {
            return !usedAt.plus(timeout).isAfter(now);
        }

        Held usedAt(Instant now) {
            return new Held(session, tenant, now);
        }
    }
}
