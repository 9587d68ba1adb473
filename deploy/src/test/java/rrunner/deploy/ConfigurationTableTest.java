package rrunner.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** The README's configuration table against what the apps bind. */
class ConfigurationTableTest {

    /** The yaml files that map environment variables onto the apps' settings. */
    private static final List<String> SETTINGS_FILES = List.of(
            "common/src/main/resources/rrunner/shared-settings.yaml",
            "api-gateway/src/main/resources/application.yaml",
            "worker/src/main/resources/application.yaml");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)[:}]");

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
}
