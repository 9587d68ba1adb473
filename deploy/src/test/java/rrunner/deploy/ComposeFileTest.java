package rrunner.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static rrunner.deploy.Yamls.at;
import static rrunner.deploy.Yamls.listAt;
import static rrunner.deploy.Yamls.mapAt;

import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/**
 * compose.yaml, .env.example and deploy/Caddyfile read as data. (`docker compose config` would check more of
 * the syntax but needs a Compose binary; these checks run anywhere.)
 */
class ComposeFileTest {

    /** ${VAR}, ${VAR:-default}, ${VAR:?message}, but not the escaped $${VAR} meant for a container's shell. */
    private static final Pattern REFERENCE = Pattern.compile("(?<!\\$)\\$\\{([A-Z][A-Z0-9_]*)(?::?([-?])([^}]*))?}");

    /** Where gateway and worker read RUNNER_ENVIRONMENTS_FILE: the operator's file, or the documented example. */
    private static final String ENVIRONMENTS_FILE_MOUNT =
            "${ENVIRONMENTS_FILE:-./deploy/environments.yaml}:/etc/rrunner/environments.yaml:ro";
    /** A bind mount's host side, with its ${VAR:-default} read as the default. */
    private static final Pattern MOUNT_SOURCE = Pattern.compile("^(?:\\$\\{[A-Z_]+:-([^}]*)}|([^:]*)):");

    private final String composeText = RepositoryFiles.read("compose.yaml");
    private final Map<String, Object> compose = Yamls.load(composeText);
    private final Map<String, Object> services = mapAt(compose, "services");

    @Test
    void definesTheStackAndTheMonitoringProfile() {
        assertThat(services).containsOnlyKeys("redis", "gateway", "worker", "caddy", "prometheus", "grafana");
        for (String service : List.of("redis", "gateway", "worker", "caddy")) {
            assertThat(service(service)).as(service).doesNotContainKey("profiles");
        }
        for (String service : List.of("prometheus", "grafana")) {
            assertThat(listAt(service(service), "profiles")).as(service).containsExactly("monitoring");
        }
    }

    @Test
    void redisPersistsWithAppendOnlyFileOnANamedVolume() {
        Map<String, Object> redis = service("redis");

        assertThat(at(redis, "image")).asString().endsWith("r-runner-redis:${IMAGE_TAG:-latest}");
        assertThat(at(redis, "build.context")).isEqualTo("images/redis");
        assertThat(listAt(redis, "command")).containsSubsequence("--appendonly", "yes");
        assertThat(listAt(redis, "volumes")).containsExactly("redis-data:/data");
        assertThat(mapAt(compose, "volumes")).containsKey("redis-data");
        assertThat(listAt(redis, "healthcheck.test")).containsExactly("CMD", "redis-cli", "ping");
        assertThat(redis).doesNotContainKey("ports");
    }

    @Test
    void gatewayAndWorkerAreBuiltFromTheirDockerfilesAndWaitForRedis() {
        for (String service : List.of("gateway", "worker")) {
            Map<String, Object> spec = service(service);
            String dockerfile = "images/" + service + "/Dockerfile";

            assertThat(at(spec, "image")).asString().endsWith("r-runner-" + service + ":${IMAGE_TAG:-latest}");
            assertThat(at(spec, "build.context")).isEqualTo(".");
            assertThat(at(spec, "build.dockerfile")).isEqualTo(dockerfile);
            assertThat(RepositoryFiles.path(dockerfile)).isRegularFile();
            assertThat(environment(service)).containsEntry("REDIS_URL", "redis://redis:6379");
            assertThat(at(spec, "depends_on.redis.condition")).isEqualTo("service_healthy");
        }
    }

    @Test
    void gatewayRequiresTheTokenAndIsHealthcheckedWithoutCurl() {
        Map<String, Object> gateway = service("gateway");
        String probe = String.join(" ", listAt(gateway, "healthcheck.test").stream().map(String::valueOf).toList());

        assertThat(environment("gateway").get("RUNNER_TOKEN")).startsWith("${RUNNER_TOKEN:?");
        // the gateway image has a JRE, bash and coreutils, but no curl or wget
        assertThat(probe).contains("/dev/tcp/127.0.0.1/8000", "GET /health ").doesNotContain("curl", "wget");
        assertThat(listAt(gateway, "ports")).containsExactly("127.0.0.1:${PORT:-8000}:8000");
    }

    @Test
    void workerScalesAndCreatesSandboxesThroughTheHostsDockerSocket() {
        Map<String, Object> worker = service("worker");

        assertThat(worker).doesNotContainKeys("container_name", "ports");
        assertThat(listAt(worker, "volumes"))
                .containsExactly("${DOCKER_SOCKET:-/var/run/docker.sock}:/var/run/docker.sock", ENVIRONMENTS_FILE_MOUNT);
        assertThat(environment("worker"))
                .containsEntry("DOCKER_HOST", "unix:///var/run/docker.sock")
                .containsEntry("WORKER_PORT", "8081")
                .doesNotContainKeys("WORKER_ID", "RUNNER_TOKEN");
        assertThat(composeText).contains("root-equivalent");
    }

    @Test
    void everyServiceGetsTheSettingsTheReadmeSaysItReads() {
        Map<String, String> gateway = environment("gateway");
        Map<String, String> worker = environment("worker");

        for (ConfigurationTable.Setting setting : ConfigurationTable.fromReadme()) {
            if (setting.readByGateway()) {
                assertThat(gateway).as("gateway environment").containsKey(setting.name());
            }
            // WORKER_ID stays unset so that every replica names itself
            if (setting.readByWorker() && !setting.name().equals("WORKER_ID")) {
                assertThat(worker).as("worker environment").containsKey(setting.name());
            }
        }
    }

    @Test
    void gatewayAndWorkerGetTheSameValueOfEverySettingBothRead() {
        Map<String, String> gateway = environment("gateway");
        Map<String, String> worker = environment("worker");

        for (ConfigurationTable.Setting setting : ConfigurationTable.fromReadme()) {
            if (setting.readBy().equals("both")) {
                assertThat(worker.get(setting.name())).as(setting.name()).isEqualTo(gateway.get(setting.name()));
            }
        }
    }

    @Test
    void gatewayAndWorkerReadTheSameEnvironmentsFile() {
        for (String service : List.of("gateway", "worker")) {
            assertThat(environment(service)).as(service)
                    .containsEntry("RUNNER_ENVIRONMENTS_FILE", "/etc/rrunner/environments.yaml");
            assertThat(listAt(service(service), "volumes")).as(service).contains(ENVIRONMENTS_FILE_MOUNT);
        }
    }

    @Test
    void caddyIsBuiltFromDebiansPackageLikeTheOtherImages() {
        Map<String, Object> caddy = service("caddy");

        assertThat(at(caddy, "image")).isEqualTo("${IMAGE_PREFIX:-}r-runner-caddy:${IMAGE_TAG:-latest}");
        assertThat(at(caddy, "build.context")).isEqualTo("images/caddy");
        assertThat(RepositoryFiles.read("images/caddy/Dockerfile"))
                .contains("FROM debian:bookworm-slim", "apt-get install -y --no-install-recommends caddy");
        assertThat(RepositoryFiles.read("images/build.sh")).contains("build_image caddy r-runner-caddy:latest caddy");
    }

    /**
     * Caddy spreads requests over every gateway replica (`--scale gateway=N`): a fresh connection per request, dialled
     * to the first replica that accepts it, so a restarting one is passed over before the request is sent. When none
     * answers it says 503 with Retry-After as the gateway does, never a bare 502; each replica gets a host port of
     * PORT's range.
     */
    @Test
    void caddyBalancesOverEveryGatewayReplicaAndAnswers503WhenNoneIsUp() {
        String caddyfile = RepositoryFiles.read("deploy/Caddyfile");

        assertThat(caddyfile).contains("reverse_proxy gateway:8000 {", "keepalive off", "handle_errors",
                "header Retry-After 1", "503");
        assertThat(service("gateway")).doesNotContainKey("container_name");
        assertThat(composeText).contains("PORT=8000-8001 docker compose up -d --scale gateway=2");
    }

    @Test
    void caddyProxiesToTheGatewayAtSiteDomainOrPublicBaseUrl() {
        Map<String, Object> caddy = service("caddy");
        String caddyfile = RepositoryFiles.read("deploy/Caddyfile");

        assertThat(listAt(caddy, "volumes")).contains("./deploy/Caddyfile:/etc/caddy/Caddyfile:ro");
        assertThat(String.join(" ", listAt(caddy, "command").stream().map(String::valueOf).toList()))
                .contains("SITE_ADDRESS=\"$${SITE_DOMAIN:-$$PUBLIC_BASE_URL}\"");
        assertThat(mapAt(caddy, "environment")).containsKeys("SITE_DOMAIN", "PUBLIC_BASE_URL");
        assertThat(caddyfile).contains("{$SITE_ADDRESS} {", "reverse_proxy gateway:8000");
    }

    @Test
    void everyBindMountedFileExists() {
        for (String service : services.keySet()) {
            for (Object volume : listAt(service(service), "volumes")) {
                Matcher mount = MOUNT_SOURCE.matcher(String.valueOf(volume));
                String source = mount.find() ? Objects.requireNonNullElse(mount.group(1), mount.group(2)) : "";
                if (source.startsWith("./")) {
                    assertThat(Files.exists(RepositoryFiles.path(source.substring(2)))).as("%s of %s", source, service).isTrue();
                }
            }
        }
    }

    @Test
    void everyVariableComposeUsesIsInEnvExampleWithTheSameDefault() {
        Map<String, String> example = EnvExample.entries().stream()
                .collect(Collectors.toMap(EnvExample.Entry::name, EnvExample.Entry::value));
        Matcher reference = REFERENCE.matcher(withoutComments());
        Set<String> used = new TreeSet<>();
        while (reference.find()) {
            String name = reference.group(1);
            used.add(name);
            assertThat(example).as(".env.example entries").containsKey(name);
            if ("-".equals(reference.group(2))) {
                assertThat(reference.group(3)).as("compose default of %s", name).isEqualTo(example.get(name));
            }
        }
        assertThat(used).contains("RUNNER_TOKEN", "SITE_DOMAIN", "PUBLIC_BASE_URL", "RUNNER_SCRIPT_IMAGE");
    }

    @Test
    void envExampleListsTheReadmeTableWithTheBoundDefaultsAndOnlyDocumentedExtras() {
        List<EnvExample.Entry> entries = EnvExample.entries();
        List<String> documented = ConfigurationTable.names();
        String guide = RepositoryFiles.read("docs/deployment.md");
        Map<String, String> defaults = new LinkedHashMap<>();

        assertThat(entries).extracting(EnvExample.Entry::name).doesNotHaveDuplicates().containsAll(documented);
        for (EnvExample.Entry entry : entries) {
            if (entry.composeOnly()) {
                assertThat(documented).as("compose-only %s", entry.name()).doesNotContain(entry.name());
                assertThat(guide).as("docs/deployment.md on %s", entry.name()).contains("`" + entry.name() + "`");
            } else {
                assertThat(documented).as("README configuration table").contains(entry.name());
                if (!entry.name().equals("RUNNER_TOKEN")) {
                    defaults.put(entry.name(), entry.value());
                }
            }
        }
        assertThat(BoundDefaults.disagreements(".env.example", defaults)).isEmpty();
        assertThat(entries).filteredOn(e -> e.name().equals("RUNNER_TOKEN")).singleElement()
                .satisfies(e -> assertThat(e.value()).isNotBlank().contains("change"));
    }

    @Test
    void composeDefaultsAreTheOnesTheAppsBind() {
        Map<String, String> defaults = new LinkedHashMap<>();
        Matcher reference = REFERENCE.matcher(withoutComments());
        while (reference.find()) {
            if ("-".equals(reference.group(2))) {
                defaults.put(reference.group(1), reference.group(3));
            }
        }

        assertThat(defaults).containsKeys("LEASE_DURATION", "RUNNER_MEMORY_LIMIT");
        assertThat(BoundDefaults.disagreements("compose.yaml", defaults)).isEmpty();
    }

    private String withoutComments() {
        return composeText.lines().filter(line -> !line.strip().startsWith("#")).collect(Collectors.joining("\n"));
    }

    private Map<String, Object> service(String name) {
        return mapAt(services, name);
    }

    private Map<String, String> environment(String service) {
        Map<String, String> environment = new LinkedHashMap<>();
        mapAt(service(service), "environment").forEach((k, v) -> environment.put(k, String.valueOf(v)));
        return environment;
    }
}
