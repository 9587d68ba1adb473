package rrunner.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;

/** Environments for the apps under test: shared settings plus each process's own, on ports free right now. */
final class Env {

    private Env() {
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, String> merge(Map<String, String> shared, Map<String, String> own) {
        Map<String, String> merged = new HashMap<>(shared);
        merged.putAll(own);
        return merged;
    }
}
