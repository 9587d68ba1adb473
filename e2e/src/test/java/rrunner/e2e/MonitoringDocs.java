package rrunner.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;

/** The metric names the repository's dashboard queries and the README's metrics table mention. */
final class MonitoringDocs {

    static final String DASHBOARD = "deploy/monitoring/grafana/dashboards/r-runner.json";
    static final String README = "README.md";

    /** Metric names in a PromQL expression: ours, and those resilience4j publishes for our retries. */
    private static final Pattern METRIC = Pattern.compile("\\b(?:rrunner|resilience4j)_[a-z0-9_]+");
    /** A row of the README's metrics table starts with the metric's name in backquotes. */
    private static final Pattern TABLE_ROW = Pattern.compile("^\\| `(rrunner_[a-z0-9_]+)` \\|", Pattern.MULTILINE);

    private MonitoringDocs() {
    }

    /** The query of every target of every panel. */
    static List<String> dashboardExpressions() {
        return Http.JSON.readTree(read(DASHBOARD)).get("panels").valueStream()
                .flatMap(panel -> panel.get("targets").valueStream())
                .map(target -> target.get("expr").asString())
                .toList();
    }

    static List<String> metricsIn(String expression) {
        return METRIC.matcher(expression).results().map(MatchResult::group).toList();
    }

    static List<String> readmeTable() {
        return TABLE_ROW.matcher(read(README)).results().map(row -> row.group(1)).toList();
    }

    private static String read(String relative) {
        // why basedir: failsafe runs with the module directory as the working directory and names it
        Path root = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize().getParent();
        try {
            return Files.readString(root.resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
