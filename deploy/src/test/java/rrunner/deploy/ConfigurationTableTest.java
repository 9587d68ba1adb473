package rrunner.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The README's configuration table against what the apps bind, and the two deployments against each other: what
 * compose.yaml and the Helm chart both set must be the same value.
 */
class ConfigurationTableTest {

    /** The yaml files that map environment variables onto the apps' settings. */
    private static final List<String> SETTINGS_FILES = List.of(
            "common/src/main/resources/rrunner/shared-settings.yaml",
            "api-gateway/src/main/resources/application.yaml",
            "worker/src/main/resources/application.yaml");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)[:}]");
    /** A compose value: ${VAR:-default}, ${VAR:?message} (no default) or a literal. */
    private static final Pattern COMPOSE_VALUE = Pattern.compile("^\\$\\{[A-Z][A-Z0-9_]*:([-?])(.*)}$");
    /**
     * Settings each deployment sets to its own surroundings, not to a shared value: where Redis, the token, the
     * Docker engine and mounted files are, and the images (a registry's in Helm, local ones in compose).
     */
    private static final Set<String> PER_DEPLOYMENT = Set.of("REDIS_URL", "REDIS_TLS_CA_FILE", "RUNNER_TOKEN",
            "RUNNER_TOKENS_FILE", "WEBHOOK_SECRETS", "DOCKER_HOST", "WORKER_ID", "RUNNER_ENVIRONMENTS_FILE",
            "RUNNER_SCRIPT_IMAGE", "RUNNER_FULL_IMAGE");

    @Test
    void everyVariableTheAppsReadIsInTheTable() {
        Set<String> read = new TreeSet<>();
        for (String file : SETTINGS_FILES) {
            Matcher placeholder = PLACEHOLDER.matcher(RepositoryFiles.read(file));
            while (placeholder.find()) {
                read.add(placeholder.group(1));
            }
        }

        assertThat(read).contains("LEASE_DURATION", "RUNNER_TOKEN", "WORKER_CONCURRENCY");
        assertThat(ConfigurationTable.names()).containsAll(read);
    }

    @Test
    void everyDefaultInTheTableIsTheOneTheAppsBind() {
        Map<String, String> defaults = new LinkedHashMap<>();
        for (ConfigurationTable.Setting setting : ConfigurationTable.fromReadme()) {
            if (setting.defaultValue() != null) {
                defaults.put(setting.name(), setting.defaultValue());
            }
        }

        assertThat(defaults).containsKeys("LEASE_DURATION", "WORKER_HEARTBEAT_INTERVAL", "RUNNER_MEMORY_LIMIT");
        assertThat(BoundDefaults.disagreements("README.md", defaults)).isEmpty();
    }

    @Test
    void composeAndTheHelmChartGiveTheAppsTheSameValues() {
        Map<String, Object> compose = Yamls.mapAt(Yamls.load(RepositoryFiles.read("compose.yaml")), "services");
        RenderedChart chart = RenderedChart.render();
        Map<String, Object> configMap = Yamls.mapAt(chart.get("ConfigMap", "-config"), "data");
        Map<String, String> composeValues = new TreeMap<>();
        Map<String, String> helmValues = new TreeMap<>();

        for (ConfigurationTable.Setting setting : ConfigurationTable.fromReadme()) {
            String service = setting.readByGateway() ? "gateway" : "worker";
            Object inCompose = Yamls.mapAt(compose, service + ".environment").get(setting.name());
            if (PER_DEPLOYMENT.contains(setting.name()) || inCompose == null) {
                continue;
            }
            composeValues.put(setting.name(), composeValue(String.valueOf(inCompose)));
            Object inHelm = configMap.get(setting.name());
            helmValues.put(setting.name(), inHelm != null ? String.valueOf(inHelm)
                    : RenderedChart.env(chart.container("Deployment", "-" + service, service), setting.name())
                            .map(e -> String.valueOf(e.get("value"))).orElse("(not set)"));
        }
        // what the deployments set around the apps: the worker's time to drain on stop, Redis's memory cap
        composeValues.put("worker stop grace", String.valueOf(Yamls.at(compose, "worker.stop_grace_period")));
        helmValues.put("worker stop grace",
                Yamls.at(chart.get("Deployment", "-worker"), "spec.template.spec.terminationGracePeriodSeconds") + "s");
        composeValues.put("redis maxmemory", composeValue(Yamls.listAt(Yamls.mapAt(compose, "redis"), "command")
                .stream().map(String::valueOf).dropWhile(a -> !a.equals("--maxmemory")).skip(1).findFirst()
                .orElse("(not set)")));
        helmValues.put("redis maxmemory", Yamls.listAt(chart.container("StatefulSet", "-redis", "redis"), "args")
                .stream().map(String::valueOf).dropWhile(a -> !a.equals("--maxmemory")).skip(1).findFirst()
                .orElse("(not set)"));

        assertThat(composeValues).hasSizeGreaterThan(60);
        assertThat(helmValues).as("the Helm chart's values against compose.yaml's").isEqualTo(composeValues);
    }

    private static String composeValue(String value) {
        Matcher reference = COMPOSE_VALUE.matcher(value);
        if (!reference.matches()) {
            return value;
        }
        return "-".equals(reference.group(1)) ? reference.group(2) : "(required)";
    }
}
