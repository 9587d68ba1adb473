package rrunner.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * Environments for the apps under test: shared settings plus each process's own, on ports free right now, and the
 * token hashes of a tokens file.
 */
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

    /** The hex SHA-256 of a token, as a tokens file ({@code RUNNER_TOKENS_FILE}) names it. */
    static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, String> merge(Map<String, String> shared, Map<String, String> own) {
        Map<String, String> merged = new HashMap<>(shared);
        merged.putAll(own);
        return merged;
    }
}
