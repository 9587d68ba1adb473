package rrunner.worker.session;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * What the session loop said when an exec ended (see {@code session-loop.R} for the format): how the script ended
 * and which workspace files it created or changed. Believed only as far as it can harm the session itself: the
 * status picks the exit code, the paths say where to look, and the files are still read through the bounded reader.
 *
 * @param changedCount how many files the exec created or changed, listed or not
 * @param changed the paths of the first of them, newest first, as the loop listed them
 */
record EndMarker(Status status, int changedCount, List<String> changed) {

    /** How the script ended, as the loop's marker words it. */
    enum Status {
        OK, ERROR, INTERRUPTED;

        static Optional<Status> of(String word) {
            return switch (word) {
                case "ok" -> Optional.of(OK);
                case "error" -> Optional.of(ERROR);
                case "interrupted" -> Optional.of(INTERRUPTED);
                default -> Optional.empty();
            };
        }
    }

    EndMarker {
        changed = List.copyOf(changed);
    }

    /**
     * Reads the tails after the nonce on stdout ({@code status count hex,hex}) and stderr ({@code status}); empty when
     * either is malformed or they disagree, which the loop never writes.
     */
    static Optional<EndMarker> parse(String stdoutTail, String stderrTail) {
        String[] fields = stdoutTail.split(" ", 3);
        if (fields.length != 3 || !fields[0].equals(stderrTail) || !fields[1].matches("\\d{1,9}")) {
            return Optional.empty();
        }
        Optional<Status> status = Status.of(fields[0]);
        List<String> paths = new ArrayList<>();
        for (String hex : fields[2].isEmpty() ? new String[0] : fields[2].split(",")) {
            if (hex.isEmpty() || hex.length() % 2 != 0 || !hex.matches("[0-9a-f]+")) {
                return Optional.empty();
            }
            paths.add(new String(HexFormat.of().parseHex(hex), StandardCharsets.UTF_8));
        }
        return status.map(s -> new EndMarker(s, Integer.parseInt(fields[1]), paths));
    }
}
