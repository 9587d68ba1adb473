package rrunner.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The README's configuration table: every environment variable r-runner reads. */
final class ConfigurationTable {

    private static final Pattern ROW = Pattern.compile(
            "^\\| `([A-Z][A-Z0-9_]*)` \\| ([^|]*) \\| ([^|]*) \\|", Pattern.MULTILINE);
    private static final Pattern CODE = Pattern.compile("`([^`]*)`");

    /**
     * One row.
     *
     * @param defaultValue the first `code` span of the default column, or null where it has none
     *                     ("(required)", "host name + random suffix")
     * @param readBy       "gateway", "worker" or "both"
     */
    record Setting(String name, String defaultValue, String readBy) {

        boolean readByGateway() {
            return readBy.equals("gateway") || readBy.equals("both");
        }

        boolean readByWorker() {
            return readBy.equals("worker") || readBy.equals("both");
        }
    }

    private ConfigurationTable() {
    }

    static List<Setting> fromReadme() {
        String readme = RepositoryFiles.read("README.md");
        int start = readme.indexOf("\n## Configuration");
        if (start < 0) {
            throw new IllegalStateException("README.md has no '## Configuration' section");
        }
        int end = readme.indexOf("\n## ", start + 1);
        String section = end < 0 ? readme.substring(start) : readme.substring(start, end);
        List<Setting> settings = new ArrayList<>();
        Matcher row = ROW.matcher(section);
        while (row.find()) {
            Matcher code = CODE.matcher(row.group(2));
            settings.add(new Setting(row.group(1), code.find() ? code.group(1) : null, row.group(3).strip()));
        }
        if (settings.isEmpty()) {
            throw new IllegalStateException("README.md's configuration table has no rows");
        }
        return settings;
    }

    static List<String> names() {
        return fromReadme().stream().map(Setting::name).toList();
    }
}
