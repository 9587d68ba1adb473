package rrunner.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The entries of .env.example. An entry is a line NAME=value, or #NAME=value for a setting compose.yaml fixes
 * itself; entries after the line "# --- compose-only ---" are read by compose.yaml only, not by r-runner.
 */
final class EnvExample {

    static final String COMPOSE_ONLY_MARKER = "# --- compose-only ---";
    private static final Pattern ENTRY = Pattern.compile("^(#?)([A-Z][A-Z0-9_]*)=(.*)$");

    record Entry(String name, String value, boolean commentedOut, boolean composeOnly) {
    }

    private EnvExample() {
    }

    static List<Entry> entries() {
        List<Entry> entries = new ArrayList<>();
        boolean composeOnly = false;
        for (String line : RepositoryFiles.read(".env.example").split("\n")) {
            if (line.strip().equals(COMPOSE_ONLY_MARKER)) {
                composeOnly = true;
                continue;
            }
            Matcher entry = ENTRY.matcher(line);
            if (entry.matches()) {
                entries.add(new Entry(entry.group(2), entry.group(3), !entry.group(1).isEmpty(), composeOnly));
            }
        }
        return entries;
    }
}
