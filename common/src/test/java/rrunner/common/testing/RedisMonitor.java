package rrunner.common.testing;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Every command a Redis executes, as its {@code MONITOR} reports it, including those run inside Lua scripts: an
 * observer that knows nothing of the code under test. Raw socket and RESP, so nothing of Lettuce or the queue
 * stands between what Redis did and what a test sees.
 */
public final class RedisMonitor implements AutoCloseable {

    private static final int READ_TIMEOUT_MS = 10_000;

    private final Socket socket;
    private final BufferedReader lines;

    private RedisMonitor(Socket socket) throws IOException {
        this.socket = socket;
        this.lines = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
    }

    public static RedisMonitor open(String host, int port) {
        try {
            Socket socket = new Socket(host, port);
            socket.setSoTimeout(READ_TIMEOUT_MS);
            OutputStream out = socket.getOutputStream();
            out.write("*1\r\n$7\r\nMONITOR\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            RedisMonitor monitor = new RedisMonitor(socket);
            String reply = monitor.lines.readLine();
            if (!"+OK".equals(reply)) {
                throw new IllegalStateException("MONITOR refused: " + reply);
            }
            return monitor;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The commands executed since the last call (or since opening), each as its arguments, the command name first.
     * {@code echo} sends an {@code ECHO} of a fresh marker through another connection: Redis reports commands to
     * monitors in the order it executes them, so once the marker arrives everything before it has too.
     */
    public List<List<String>> commandsUntilEcho(Consumer<String> echo) {
        String marker = "monitor-mark-" + UUID.randomUUID();
        echo.accept(marker);
        List<List<String>> commands = new ArrayList<>();
        while (true) {
            List<String> command = parse(readLine());
            if (command.size() == 2 && command.get(0).equalsIgnoreCase("ECHO") && command.get(1).equals(marker)) {
                return commands;
            }
            commands.add(command);
        }
    }

    private String readLine() {
        try {
            String line = lines.readLine();
            if (line == null) {
                throw new IllegalStateException("Redis closed the MONITOR connection");
            }
            return line;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code +1700000000.123456 [0 lua] "HSET" "key" "field" "value"}: the arguments are quoted as Redis'
     * {@code sdscatrepr} writes them ({@code \"}, {@code \\}, {@code \n}, {@code \xhh} for other bytes).
     */
    static List<String> parse(String line) {
        int at = line.indexOf("] ");
        if (!line.startsWith("+") || at < 0) {
            throw new IllegalStateException("not a MONITOR line: " + line);
        }
        List<String> args = new ArrayList<>();
        int i = at + 2;
        while (i < line.length()) {
            if (line.charAt(i) != '"') {
                throw new IllegalStateException("expected a quoted argument at " + i + ": " + line);
            }
            ByteArrayOutputStream arg = new ByteArrayOutputStream();
            i++;
            while (line.charAt(i) != '"') {
                char c = line.charAt(i++);
                if (c != '\\') {
                    arg.write(c);
                    continue;
                }
                char escaped = line.charAt(i++);
                switch (escaped) {
                    case 'n' -> arg.write('\n');
                    case 'r' -> arg.write('\r');
                    case 't' -> arg.write('\t');
                    case 'a' -> arg.write(7);
                    case 'b' -> arg.write('\b');
                    case 'x' -> {
                        arg.write(Integer.parseInt(line.substring(i, i + 2), 16));
                        i += 2;
                    }
                    default -> arg.write(escaped);
                }
            }
            args.add(arg.toString(StandardCharsets.UTF_8));
            i += 2;
        }
        return args;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
