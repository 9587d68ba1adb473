package rrunner.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The README's configuration table against what the apps bind. */
class ConfigurationTableTest {

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
