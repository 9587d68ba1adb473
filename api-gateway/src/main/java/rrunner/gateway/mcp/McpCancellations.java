package rrunner.gateway.mcp;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * What to stop when a client cancels a tool call: the call registers its job while it runs, and a
 * {@code notifications/cancelled} naming the call's request runs the registered stop. Keyed by MCP session and
 * request id, as request ids are only unique within a session.
 */
@Component
class McpCancellations {

    private final Map<String, Runnable> running = new ConcurrentHashMap<>();

    /** Registers {@code stop} for the call; the returned handle removes it once the call ended. */
    Runnable register(String session, Object request, Runnable stop) {
        String key = key(session, request);
        running.put(key, stop);
        return () -> running.remove(key, stop);
    }

    /** Stops the call if it is still running; a cancel that raced with its end is a no-op, as the spec allows. */
    void cancel(String session, Object request) {
        Runnable stop = running.remove(key(session, request));
        if (stop != null) {
            stop.run();
        }
    }

    /** why by text: JSON-RPC ids are strings or numbers, and a number may come back as Integer or Long. */
    private static String key(String session, Object request) {
        return session + " " + request;
    }
}
