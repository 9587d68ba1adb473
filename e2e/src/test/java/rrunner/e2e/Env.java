package rrunner.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Environments for the apps under test: shared settings plus each process's own, on ports free right now, and the
 * token hashes of a tokens file.
 */
final class Env {

    private static final int FIRST_PORT = 20_000;
    private static final int PORTS = 12_000;
    private static final Random RANDOM = new Random();
    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    private Env() {
    }

    /**
     * A port free right now, below Linux's ephemeral range (32768 and up), and never one this JVM handed out
     * before: a port from the ephemeral range (what binding port 0 gives) can be taken by any process's outgoing
     * connection before the app binds it, which once failed a CI run with "Port ... was already in use".
     */
    static synchronized int freePort() {
        while (true) {
            int port = FIRST_PORT + RANDOM.nextInt(PORTS);
            if (!HANDED_OUT.add(port)) {
                continue;
            }
            try (ServerSocket socket = new ServerSocket(port)) {
                return socket.getLocalPort();
            } catch (IOException e) {
                // taken: try another
            }
        }
    }

    /**
     * {@code count} consecutive ports, free right now, as "first-last": what a compose port range needs, one host
     * port per replica of a scaled service.
     */
    static synchronized String freePortRange(int count) {
        while (true) {
            int first = freePort();
            boolean allFree = true;
            for (int port = first + 1; port < first + count && allFree; port++) {
                allFree = HANDED_OUT.add(port) && isFree(port);
            }
            if (allFree) {
                return first + "-" + (first + count - 1);
            }
        }
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            return socket.getLocalPort() == port;
        } catch (IOException e) {
            return false;
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
