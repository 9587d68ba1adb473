package rrunner.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static rrunner.deploy.RenderedChart.PREFIX;
import static rrunner.deploy.RenderedChart.env;
import static rrunner.deploy.Yamls.at;
import static rrunner.deploy.Yamls.listAt;
import static rrunner.deploy.Yamls.map;
import static rrunner.deploy.Yamls.mapAt;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import rrunner.common.environment.Environments;
import rrunner.common.queue.RedisKeys;

class HelmChartTest {

    private static RenderedChart defaults;

    @BeforeAll
    static void renderDefaults() {
        defaults = RenderedChart.render();
    }

    @Nested
    class Chart {

        @Test
        void lintsCleanInStrictMode() {
            LintResult lint = new Helm(RenderedChart.CHART).lint().strict().call();

            assertThat(lint.isFailed()).as("helm lint --strict: %s", lint.getMessages()).isFalse();
        }

        @Test
        void rendersTheWholeApplicationByDefault() {
            assertThat(defaults.names()).contains(
                    "Deployment/" + PREFIX + "-gateway", "Service/" + PREFIX + "-gateway",
                    "HorizontalPodAutoscaler/" + PREFIX + "-gateway", "Deployment/" + PREFIX + "-worker",
                    "StatefulSet/" + PREFIX + "-redis", "Service/" + PREFIX + "-redis",
                    "ConfigMap/" + PREFIX + "-config", "Secret/" + PREFIX + "-auth",
                    "PodDisruptionBudget/" + PREFIX + "-gateway", "PodDisruptionBudget/" + PREFIX + "-worker",
                    "NetworkPolicy/" + PREFIX + "-gateway", "NetworkPolicy/" + PREFIX + "-worker",
                    "NetworkPolicy/" + PREFIX + "-redis");
            assertThat(defaults.names()).doesNotHaveDuplicates();
            for (Map<String, Object> manifest : defaults.all()) {
                assertThat(mapAt(manifest, "metadata.labels"))
                        .as("labels of %s", at(manifest, "metadata.name"))
                        .containsEntry("app.kubernetes.io/instance", RenderedChart.RELEASE)
                        .containsEntry("app.kubernetes.io/name", "r-runner")
                        .containsKey("app.kubernetes.io/component");
            }
        }

        /**
         * Beyond lint: every manifest of the default render and of the variants that add or change resources (ingress,
         * KEDA, the node's socket, an external TLS Redis, own environments) reads into the Kubernetes API's types
         * with no field they lack. KEDA's ScaledObject is a custom resource: Worker autoscaling checks its fields.
         */
        @Test
        void everyManifestFitsTheKubernetesApiSchema() {
            List<RenderedChart> variants = List.of(defaults,
                    RenderedChart.render("ingress.enabled", true, "ingress.host", "r.example.org",
                            "worker.autoscaling.keda.enabled", true, "worker.docker.mode", "hostSocket"),
                    RenderedChart.render("redis.external.url", "rediss://redis.example.net:6380",
                            "redis.external.caSecret", "redis-ca", "auth.existingSecret", "my-token",
                            "worker.autoscaling.hpa.enabled", false, "config.RUNNER_ENVIRONMENTS", "r-base,r-geo",
                            "environments.r-geo.image", "registry.example.org/r-geo:1.0"));
            Set<String> parsed = new TreeSet<>();
            for (RenderedChart chart : variants) {
                for (Map<String, Object> manifest : chart.all()) {
                    String type = KubernetesSchema.typeOf(manifest);
                    if (!type.equals(KubernetesSchema.KEDA_SCALED_OBJECT)) {
                        assertThat(KubernetesSchema.parse(manifest).getMetadata().getName())
                                .isEqualTo(at(manifest, "metadata.name"));
                        parsed.add(type);
                    }
                }
            }

            assertThat(parsed).contains("apps/v1 Deployment", "apps/v1 StatefulSet", "v1 Service", "v1 ConfigMap",
                    "v1 Secret", "networking.k8s.io/v1 Ingress", "networking.k8s.io/v1 NetworkPolicy",
                    "autoscaling/v2 HorizontalPodAutoscaler", "policy/v1 PodDisruptionBudget");
        }

        @Test
        void aFieldTheApiDoesNotKnowFailsTheSchemaCheck() {
            Map<String, Object> deployment = new LinkedHashMap<>(defaults.get("Deployment", "-gateway"));
            Map<String, Object> spec = new LinkedHashMap<>(mapAt(deployment, "spec"));
            spec.put("replica", 2);
            deployment.put("spec", spec);

            assertThatThrownBy(() -> KubernetesSchema.parse(deployment)).hasMessageContaining("\"replica\"");
        }
    }

    @Nested
    class Gateway {

        @Test
        void reachesPublicHttpsForWebhooksButNoPrivateRange() {
            List<Object> webhookRules = listAt(defaults.get("NetworkPolicy", "-gateway"), "spec.egress").stream()
                    .filter(r -> listAt(r, "ports").stream().anyMatch(p -> Integer.valueOf(443).equals(map(p).get("port"))))
                    .toList();

            assertThat(webhookRules).singleElement().satisfies(rule -> {
                Map<String, Object> block = mapAt(listAt(rule, "to").get(0), "ipBlock");
                assertThat(block).containsEntry("cidr", "0.0.0.0/0");
                assertThat(listAt(block, "except")).contains("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16",
                        "100.64.0.0/10", "169.254.0.0/16", "127.0.0.0/8");
            });
        }

        @Test
        void takesTheDefaultTenantsWebhookSecretsFromASecretWhenNamed() {
            Map<String, Object> gateway = RenderedChart.render("auth.webhookSecretsSecret", "hooks")
                    .container("Deployment", "-gateway", "gateway");

            assertThat(listAt(gateway, "env")).anySatisfy(env -> {
                assertThat(map(env)).containsEntry("name", "WEBHOOK_SECRETS");
                assertThat(mapAt(env, "valueFrom.secretKeyRef")).containsEntry("name", "hooks");
            });
        }

        @Test
        void runsNonRootWithAReadOnlyRootFilesystem() {
            Map<String, Object> pod = defaults.podSpec("Deployment", "-gateway");
            Map<String, Object> gateway = defaults.container("Deployment", "-gateway", "gateway");

            assertThat(mapAt(pod, "securityContext"))
                    .containsEntry("runAsNonRoot", true)
                    .containsEntry("runAsUser", 10002);
            assertThat(mapAt(gateway, "securityContext"))
                    .containsEntry("readOnlyRootFilesystem", true)
                    .containsEntry("allowPrivilegeEscalation", false);
            assertThat(listAt(gateway, "securityContext.capabilities.drop")).containsExactly("ALL");
            assertThat(listAt(gateway, "volumeMounts")).anySatisfy(m -> assertThat(map(m)).containsEntry("mountPath", "/tmp"));
            assertThat(at(pod, "automountServiceAccountToken")).isEqualTo(false);
        }

        @Test
        void takesTheTokenFromASecretNeverInline() {
            Map<String, Object> gateway = defaults.container("Deployment", "-gateway", "gateway");
            Map<String, Object> token = env(gateway, "RUNNER_TOKEN").orElseThrow();

            assertThat(token).doesNotContainKey("value");
            assertThat(mapAt(token, "valueFrom.secretKeyRef"))
                    .containsEntry("name", PREFIX + "-auth")
                    .containsEntry("key", "RUNNER_TOKEN");
            String stored = (String) at(defaults.get("Secret", "-auth"), "data.RUNNER_TOKEN");
            assertThat(new String(Base64.getDecoder().decode(stored))).hasSizeGreaterThanOrEqualTo(32);
            assertThat(mapAt(defaults.get("ConfigMap", "-config"), "data")).doesNotContainKey("RUNNER_TOKEN");
        }

        @Test
        void probesTheActuatorHealthGroupsOnPort8000() {
            Map<String, Object> gateway = defaults.container("Deployment", "-gateway", "gateway");

            assertThat(at(gateway, "livenessProbe.httpGet.path")).isEqualTo("/actuator/health/liveness");
            assertThat(at(gateway, "readinessProbe.httpGet.path")).isEqualTo("/actuator/health/readiness");
            assertThat(at(gateway, "livenessProbe.httpGet.port")).isEqualTo("http");
            assertThat(listAt(gateway, "ports")).singleElement()
                    .satisfies(p -> assertThat(map(p)).containsEntry("name", "http").containsEntry("containerPort", 8000));
        }

        @Test
        void existingSecretReplacesTheGeneratedOne() {
            RenderedChart chart = RenderedChart.render("auth.existingSecret", "my-token", "auth.existingSecretKey", "t");
            Map<String, Object> token = env(chart.container("Deployment", "-gateway", "gateway"), "RUNNER_TOKEN").orElseThrow();

            assertThat(chart.find("Secret", "-auth")).isEmpty();
            assertThat(mapAt(token, "valueFrom.secretKeyRef")).containsEntry("name", "my-token").containsEntry("key", "t");
        }

        @Test
        void ingressOnlyWhenEnabled() {
            assertThat(defaults.ofKind("Ingress")).isEmpty();

            RenderedChart chart = RenderedChart.render("ingress.enabled", true, "ingress.host", "r.example.org",
                    "ingress.className", "nginx", "ingress.tls.enabled", true);
            Map<String, Object> ingress = chart.get("Ingress", "");

            assertThat(at(ingress, "spec.ingressClassName")).isEqualTo("nginx");
            Map<String, Object> rule = map(listAt(ingress, "spec.rules").get(0));
            assertThat(rule).containsEntry("host", "r.example.org");
            Map<String, Object> path = map(listAt(rule, "http.paths").get(0));
            assertThat(mapAt(path, "backend.service")).containsEntry("name", PREFIX + "-gateway");
            assertThat(map(listAt(ingress, "spec.tls").get(0))).containsEntry("secretName", "r-runner-tls");
        }
    }

    @Nested
    class Worker {

        @Test
        void dindModeRunsAPrivilegedEngineBesideANonRootWorker() {
            Map<String, Object> dind = defaults.container("Deployment", "-worker", "dind");
            Map<String, Object> worker = defaults.container("Deployment", "-worker", "worker");

            assertThat(at(dind, "securityContext.privileged")).isEqualTo(true);
            assertThat(listAt(dind, "args")).contains("--host=unix:///var/run/dind/docker.sock");
            assertThat(listAt(dind, "args")).noneSatisfy(a -> assertThat((String) a).contains("tcp://"));
            assertThat(env(worker, "DOCKER_HOST").orElseThrow()).containsEntry("value", "unix:///var/run/dind/docker.sock");
            assertThat(mapAt(worker, "securityContext"))
                    .containsEntry("runAsNonRoot", true)
                    .containsEntry("runAsUser", 10003)
                    .containsEntry("readOnlyRootFilesystem", true);
            assertThat(listAt(defaults.podSpec("Deployment", "-worker"), "securityContext.supplementalGroups"))
                    .containsExactly(2375);
            assertThat(hostPathVolumes(defaults)).isEmpty();
        }

        @Test
        void onlyTheDindEngineIsEverPrivileged() {
            assertThat(defaults.allContainers().filter(c -> Boolean.TRUE.equals(at(c, "securityContext.privileged"))))
                    .extracting(c -> c.get("name"))
                    .containsExactly("dind");
        }

        @Test
        void dindPrePullsTheScriptImageBeforeTheWorkerStarts() {
            List<Map<String, Object>> containers = defaults.containers("Deployment", "-worker");
            Map<String, Object> dind = containers.get(0);

            assertThat(dind).containsEntry("name", "dind");
            assertThat(prePull(defaults)).contains("for image in 'r-runner-r-base:0.1.0' ; do", "docker pull \"$image\"")
                    .doesNotContain("r-full");
            assertThat(mapAt(defaults.get("ConfigMap", "-config"), "data"))
                    .containsEntry("RUNNER_SCRIPT_IMAGE", "r-runner-r-base:0.1.0");
        }

        @Test
        void hostSocketModeMountsTheNodesSocketAndNothingIsPrivileged() {
            RenderedChart chart = RenderedChart.render("worker.docker.mode", "hostSocket");
            Map<String, Object> worker = chart.container("Deployment", "-worker", "worker");

            assertThat(chart.containers("Deployment", "-worker")).extracting(c -> c.get("name")).containsExactly("worker");
            assertThat(chart.allContainers().filter(c -> Boolean.TRUE.equals(at(c, "securityContext.privileged")))).isEmpty();
            assertThat(hostPathVolumes(chart)).singleElement().satisfies(v -> assertThat(mapAt(v, "hostPath"))
                    .containsEntry("path", "/var/run/docker.sock")
                    .containsEntry("type", "Socket"));
            assertThat(env(worker, "DOCKER_HOST").orElseThrow()).containsEntry("value", "unix:///var/run/docker.sock");
            assertThat(listAt(worker, "volumeMounts"))
                    .anySatisfy(m -> assertThat(map(m)).containsEntry("mountPath", "/var/run/docker.sock"));
            // the node's socket gid is unknown: root, but without capabilities
            assertThat(at(worker, "securityContext.runAsUser")).isEqualTo(0);
            assertThat(listAt(worker, "securityContext.capabilities.drop")).containsExactly("ALL");
            assertThat(registryEgress(chart)).isEmpty();
        }

        @Test
        void hostSocketWithTheSocketsGroupRunsNonRoot() {
            RenderedChart chart = RenderedChart.render(
                    "worker.docker.mode", "hostSocket", "worker.docker.hostSocket.socketGroupId", 998);

            assertThat(mapAt(chart.container("Deployment", "-worker", "worker"), "securityContext"))
                    .containsEntry("runAsNonRoot", true)
                    .containsEntry("runAsUser", 10003);
            assertThat(listAt(chart.podSpec("Deployment", "-worker"), "securityContext.supplementalGroups"))
                    .containsExactly(998);
        }

        @Test
        void neverGetsTheToken() {
            assertThat(env(defaults.container("Deployment", "-worker", "worker"), "RUNNER_TOKEN")).isEmpty();
        }

        @Test
        void probesTheActuatorHealthGroupsOnPort8081() {
            Map<String, Object> worker = defaults.container("Deployment", "-worker", "worker");

            assertThat(at(worker, "livenessProbe.httpGet.path")).isEqualTo("/actuator/health/liveness");
            assertThat(at(worker, "readinessProbe.httpGet.path")).isEqualTo("/actuator/health/readiness");
            assertThat(listAt(worker, "ports")).singleElement()
                    .satisfies(p -> assertThat(map(p)).containsEntry("name", "metrics").containsEntry("containerPort", 8081));
            assertThat(mapAt(defaults.get("ConfigMap", "-config"), "data")).containsEntry("WORKER_PORT", "8081");
        }

        @Test
        void rejectsAnUnknownDockerMode() {
            assertThatThrownBy(() -> RenderedChart.render("worker.docker.mode", "podman"))
                    .hasMessageContaining("mode");
        }

        @Test
        void egressIsRedisAndDnsPlusTheRegistryForTheDindEngine() {
            Map<String, Object> policy = defaults.get("NetworkPolicy", "-worker");
            List<Object> rules = listAt(policy, "spec.egress");

            assertThat(listAt(policy, "spec.policyTypes")).contains("Egress");
            assertThat(rules).anySatisfy(r -> assertThat(listAt(r, "ports"))
                    .anySatisfy(p -> assertThat(map(p)).containsEntry("port", 53)));
            assertThat(rules).anySatisfy(r -> {
                assertThat(listAt(r, "ports")).anySatisfy(p -> assertThat(map(p)).containsEntry("port", 6379));
                assertThat(listAt(r, "to")).anySatisfy(t -> assertThat(mapAt(t, "podSelector.matchLabels"))
                        .containsEntry("app.kubernetes.io/component", "redis"));
            });
            assertThat(registryEgress(defaults)).hasSize(1);
            assertThat(rules).hasSize(3);
        }

        static String prePull(RenderedChart chart) {
            Map<String, Object> dind = chart.container("Deployment", "-worker", "dind");
            return String.join(" ", listAt(dind, "lifecycle.postStart.exec.command").stream().map(String::valueOf).toList());
        }

        private static List<Object> registryEgress(RenderedChart chart) {
            return listAt(chart.get("NetworkPolicy", "-worker"), "spec.egress").stream()
                    .filter(r -> listAt(r, "ports").stream().anyMatch(p -> Integer.valueOf(443).equals(map(p).get("port"))))
                    .toList();
        }

        private static List<Map<String, Object>> hostPathVolumes(RenderedChart chart) {
            return listAt(chart.podSpec("Deployment", "-worker"), "volumes").stream()
                    .map(Yamls::map)
                    .filter(v -> v.containsKey("hostPath"))
                    .toList();
        }
    }

    @Nested
    class WorkerAutoscaling {

        @Test
        void kedaScalesOnThePendingListWhenEnabled() {
            RenderedChart chart = RenderedChart.render("worker.autoscaling.keda.enabled", true,
                    "worker.autoscaling.keda.listLength", 6, "worker.autoscaling.keda.maxReplicaCount", 20);
            Map<String, Object> scaledObject = chart.get("ScaledObject", "-worker");
            Map<String, Object> trigger = map(listAt(scaledObject, "spec.triggers").get(0));

            assertThat(at(scaledObject, "apiVersion")).isEqualTo("keda.sh/v1alpha1");
            assertThat(at(scaledObject, "spec.scaleTargetRef.name")).isEqualTo(PREFIX + "-worker");
            assertThat(at(scaledObject, "spec.maxReplicaCount")).isEqualTo(20);
            assertThat(trigger).containsEntry("type", "redis");
            assertThat(mapAt(trigger, "metadata"))
                    .containsEntry("listName", new RedisKeys(keyPrefixGivenToTheApps(chart)).waiting())
                    .containsEntry("listLength", "6")
                    // KEDA's operator runs in its own namespace: the Service's FQDN
                    .containsEntry("address", PREFIX + "-redis.runner.svc:6379");
            assertThat(chart.find("HorizontalPodAutoscaler", "-worker")).as("KEDA owns the worker's HPA").isEmpty();
            assertThat(at(chart.get("Deployment", "-worker"), "spec.replicas")).isNull();
            assertThat(redisIngressPeers(chart))
                    .anySatisfy(peer -> assertThat(mapAt(peer, "namespaceSelector.matchLabels"))
                            .containsEntry("kubernetes.io/metadata.name", "keda"));
        }

        @Test
        void theKedaListFollowsTheKeyPrefix() {
            RenderedChart chart = RenderedChart.render(
                    "worker.autoscaling.keda.enabled", true, "config.REDIS_KEY_PREFIX", "staging");
            Map<String, Object> trigger = map(listAt(chart.get("ScaledObject", "-worker"), "spec.triggers").get(0));

            assertThat(keyPrefixGivenToTheApps(chart)).isEqualTo("staging");
            assertThat(mapAt(trigger, "metadata")).containsEntry("listName", new RedisKeys("staging").waiting());
        }

        /** The REDIS_KEY_PREFIX gateway and workers read from the chart's ConfigMap. */
        private static String keyPrefixGivenToTheApps(RenderedChart chart) {
            return (String) at(chart.get("ConfigMap", "-config"), "data.REDIS_KEY_PREFIX");
        }

        @Test
        void withoutKedaACpuHpaScalesTheWorkers() {
            Map<String, Object> hpa = defaults.get("HorizontalPodAutoscaler", "-worker");
            Map<String, Object> metric = map(listAt(hpa, "spec.metrics").get(0));

            assertThat(defaults.ofKind("ScaledObject")).isEmpty();
            assertThat(at(hpa, "spec.scaleTargetRef.name")).isEqualTo(PREFIX + "-worker");
            assertThat(at(metric, "resource.name")).isEqualTo("cpu");
            assertThat(redisIngressPeers(defaults)).noneSatisfy(peer -> assertThat(peer).containsKey("namespaceSelector"));
        }

        @Test
        void withNeitherTheReplicaCountIsFixed() {
            RenderedChart chart = RenderedChart.render(
                    "worker.autoscaling.hpa.enabled", false, "worker.replicaCount", 3);

            assertThat(chart.ofKind("ScaledObject")).isEmpty();
            assertThat(chart.find("HorizontalPodAutoscaler", "-worker")).isEmpty();
            assertThat(at(chart.get("Deployment", "-worker"), "spec.replicas")).isEqualTo(3);
        }

        private static List<Map<String, Object>> redisIngressPeers(RenderedChart chart) {
            Map<String, Object> policy = chart.get("NetworkPolicy", "-redis");
            return listAt(map(listAt(policy, "spec.ingress").get(0)), "from").stream().map(Yamls::map).toList();
        }
    }

    @Nested
    class Redis {

        @Test
        void isAStatefulSetWithAppendOnlyPersistenceOnAClaim() {
            Map<String, Object> statefulSet = defaults.get("StatefulSet", "-redis");
            Map<String, Object> redis = defaults.container("StatefulSet", "-redis", "redis");
            List<Object> args = listAt(redis, "args");

            assertThat(args).containsSubsequence("--appendonly", "yes");
            assertThat(args).containsSubsequence("--appendfsync", "everysec");
            assertThat(args).containsSubsequence("--dir", "/data");
            Map<String, Object> claim = map(listAt(statefulSet, "spec.volumeClaimTemplates").get(0));
            assertThat(at(claim, "metadata.name")).isEqualTo("data");
            assertThat(at(claim, "spec.resources.requests.storage")).isEqualTo("8Gi");
            assertThat(listAt(redis, "volumeMounts"))
                    .anySatisfy(m -> assertThat(map(m)).containsEntry("name", "data").containsEntry("mountPath", "/data"));
            assertThat(mapAt(statefulSet, "spec.template.spec.securityContext")).containsEntry("runAsNonRoot", true);
        }

        @Test
        void appsReachTheChartsRedis() {
            for (String component : List.of("gateway", "worker")) {
                Map<String, Object> container = defaults.container("Deployment", "-" + component, component);
                assertThat(env(container, "REDIS_URL").orElseThrow())
                        .containsEntry("value", "redis://" + PREFIX + "-redis:6379");
            }
        }

        @Test
        void aPrivateCaOfAnExternalTlsRedisIsMountedAndNamedByRedisTlsCaFile() {
            RenderedChart chart = RenderedChart.render("redis.external.url", "rediss://redis.example.net:6380",
                    "redis.external.caSecret", "redis-ca");

            for (String component : List.of("gateway", "worker")) {
                Map<String, Object> container = chart.container("Deployment", "-" + component, component);
                assertThat(env(container, "REDIS_TLS_CA_FILE").orElseThrow())
                        .containsEntry("value", "/etc/r-runner/redis-ca/ca.crt");
                assertThat(listAt(container, "volumeMounts")).anySatisfy(m -> assertThat(map(m))
                        .containsEntry("name", "redis-ca")
                        .containsEntry("mountPath", "/etc/r-runner/redis-ca")
                        .containsEntry("readOnly", true));
                assertThat(listAt(chart.podSpec("Deployment", "-" + component), "volumes")).anySatisfy(v -> {
                    assertThat(map(v)).containsEntry("name", "redis-ca");
                    assertThat(at(v, "secret.secretName")).isEqualTo("redis-ca");
                    assertThat(listAt(v, "secret.items")).containsExactly(Map.of("key", "ca.crt", "path", "ca.crt"));
                });
            }
        }

        @Test
        void aCaSecretNeedsAnExternalTlsRedis() {
            assertThatThrownBy(() -> RenderedChart.render("redis.external.caSecret", "redis-ca"))
                    .hasMessageContaining("redis.external.caSecret is for an external TLS Redis");
            assertThatThrownBy(() -> RenderedChart.render("redis.external.url", "redis://redis.example.net:6379",
                    "redis.external.caSecret", "redis-ca"))
                    .hasMessageContaining("write redis.external.url as rediss://");
        }

        @Test
        void onlyGatewayAndWorkerMayConnect() {
            Map<String, Object> policy = defaults.get("NetworkPolicy", "-redis");
            List<Object> peers = listAt(map(listAt(policy, "spec.ingress").get(0)), "from");

            assertThat(peers).extracting(p -> mapAt(p, "podSelector.matchLabels").get("app.kubernetes.io/component"))
                    .containsExactlyInAnyOrder("gateway", "worker");
        }

        @Test
        void anExternalUrlReplacesTheStatefulSetAndIsKeptInASecret() {
            String url = "rediss://:s3cret@redis.example.net:6380/0";
            RenderedChart chart = RenderedChart.render("redis.external.url", url, "worker.autoscaling.keda.enabled", true);

            assertThat(chart.ofKind("StatefulSet")).isEmpty();
            assertThat(chart.find("Service", "-redis")).isEmpty();
            assertThat(chart.find("NetworkPolicy", "-redis")).isEmpty();
            String stored = (String) at(chart.get("Secret", "-redis-url"), "data.REDIS_URL");
            assertThat(new String(Base64.getDecoder().decode(stored))).isEqualTo(url);
            for (String component : List.of("gateway", "worker")) {
                Map<String, Object> redisUrl = env(chart.container("Deployment", "-" + component, component), "REDIS_URL")
                        .orElseThrow();
                assertThat(redisUrl).doesNotContainKey("value");
                assertThat(mapAt(redisUrl, "valueFrom.secretKeyRef")).containsEntry("name", PREFIX + "-redis-url");
            }
            assertThat(mapAt(chart.get("ConfigMap", "-config"), "data").values()).noneMatch(v -> String.valueOf(v).contains("s3cret"));
            Map<String, Object> trigger = map(listAt(chart.get("ScaledObject", "-worker"), "spec.triggers").get(0));
            assertThat(mapAt(trigger, "metadata"))
                    .containsEntry("address", "redis.example.net:6380")
                    .containsEntry("enableTLS", "true");
        }
    }

    @Nested
    class Configuration {

        /** Set by the chart from other values, not through the ConfigMap. */
        private static final Set<String> DERIVED = Set.of("RUNNER_TOKEN", "REDIS_URL", "REDIS_TLS_CA_FILE",
                "DOCKER_HOST", "WORKER_ID", "RUNNER_ENVIRONMENTS_FILE", "RUNNER_TOKENS_FILE", "WEBHOOK_SECRETS");
        /** The chart's own images, from its registry and tag: not the apps' defaults. */
        private static final Map<String, String> IMAGES =
                Map.of("RUNNER_SCRIPT_IMAGE", "r-runner-r-base:", "RUNNER_FULL_IMAGE", "r-runner-r-full:");

        @Test
        void theConfigMapCarriesEveryReadmeSettingWithTheBoundDefault() {
            Map<String, Object> data = mapAt(defaults.get("ConfigMap", "-config"), "data");
            Map<String, String> values = new LinkedHashMap<>();

            for (String name : ConfigurationTable.names()) {
                if (DERIVED.contains(name)) {
                    assertThat(data).as("%s is set elsewhere", name).doesNotContainKey(name);
                } else if (IMAGES.containsKey(name)) {
                    assertThat((String) data.get(name)).startsWith(IMAGES.get(name));
                } else {
                    assertThat(data).as("ConfigMap entry %s", name).containsKey(name);
                    values.put(name, String.valueOf(data.get(name)));
                }
            }
            assertThat(BoundDefaults.disagreements("the Helm chart's ConfigMap", values)).isEmpty();
        }

        @Test
        void imagesComeFromTheConfiguredRegistry() {
            RenderedChart chart = RenderedChart.render("image.registry", "ghcr.io/acme", "image.tag", "1.2.3");

            assertThat(chart.container("Deployment", "-gateway", "gateway"))
                    .containsEntry("image", "ghcr.io/acme/r-runner-gateway:1.2.3");
            assertThat(chart.container("Deployment", "-worker", "worker"))
                    .containsEntry("image", "ghcr.io/acme/r-runner-worker:1.2.3");
            assertThat(chart.container("StatefulSet", "-redis", "redis"))
                    .containsEntry("image", "ghcr.io/acme/r-runner-redis:1.2.3");
            assertThat(mapAt(chart.get("ConfigMap", "-config"), "data"))
                    .containsEntry("RUNNER_SCRIPT_IMAGE", "ghcr.io/acme/r-runner-r-base:1.2.3")
                    .containsEntry("RUNNER_FULL_IMAGE", "ghcr.io/acme/r-runner-r-full:1.2.3");
        }
    }

    @Nested
    class ServedEnvironments {

        private static final String OWN_PATH = "/etc/rrunner";

        @Test
        void servesRBaseAloneWithNoEnvironmentsFileByDefault() {
            assertThat(mapAt(defaults.get("ConfigMap", "-config"), "data"))
                    .containsEntry("RUNNER_ENVIRONMENTS", "r-base")
                    .containsEntry("RUNNER_DEFAULT_ENVIRONMENT", "r-base");
            assertThat(defaults.find("ConfigMap", "-environments")).isEmpty();
            for (String component : List.of("gateway", "worker")) {
                assertThat(listAt(defaults.container("Deployment", "-" + component, component), "volumeMounts"))
                        .noneSatisfy(m -> assertThat(map(m)).containsEntry("mountPath", OWN_PATH));
            }
        }

        @Test
        void ownDefinitionsAreMountedWhereGatewayAndWorkerReadThem() {
            RenderedChart chart = withRGeo("registry.example.org/r-geo:1.0");
            String file = (String) mapAt(chart.get("ConfigMap", "-environments"), "data").get("environments.yaml");

            for (String component : List.of("gateway", "worker")) {
                assertThat(listAt(chart.container("Deployment", "-" + component, component), "volumeMounts"))
                        .anySatisfy(m -> assertThat(map(m)).containsEntry("name", "environments")
                                .containsEntry("mountPath", OWN_PATH).containsEntry("readOnly", true));
                assertThat(listAt(chart.podSpec("Deployment", "-" + component), "volumes")).anySatisfy(v -> {
                    assertThat(map(v)).containsEntry("name", "environments");
                    assertThat(at(v, "configMap.name")).isEqualTo(PREFIX + "-environments");
                });
            }
            Environments served = EnvironmentsFile.served(file, Map.of("RUNNER_ENVIRONMENTS", "r-base,r-geo,r-full"));
            assertThat(served.find("r-geo").orElseThrow()).satisfies(geo -> {
                assertThat(geo.image()).isEqualTo("registry.example.org/r-geo:1.0");
                assertThat(geo.defaults().timeoutSeconds()).isEqualTo(120);
                assertThat(geo.max().memoryMb()).isEqualTo(1024);
            });
            assertThat(served.find("r-full").orElseThrow().defaults().timeoutSeconds()).isEqualTo(90);
            assertThat(served.find("r-full").orElseThrow().image()).isEqualTo("r-runner-r-full:latest");
        }

        @Test
        void podsRollWhenTheDefinitionsChange() {
            RenderedChart before = withRGeo("registry.example.org/r-geo:1.0");
            RenderedChart after = withRGeo("registry.example.org/r-geo:1.1");

            for (String component : List.of("gateway", "worker")) {
                String annotation = "spec.template.metadata.annotations.checksum/environments";
                assertThat(at(after.get("Deployment", "-" + component), annotation)).as(component).isNotNull()
                        .isNotEqualTo(at(before.get("Deployment", "-" + component), annotation));
            }
        }

        private static RenderedChart withRGeo(String image) {
            return RenderedChart.render("config.RUNNER_ENVIRONMENTS", "r-base,r-geo",
                    "environments.r-geo.image", image,
                    "environments.r-geo.defaults.timeout-seconds", 120,
                    "environments.r-geo.max.memory", "1GB",
                    "environments.r-full.defaults.timeout-seconds", 90);
        }

        @Test
        void dindPrePullsTheImageOfEveryServedEnvironment() {
            RenderedChart chart = RenderedChart.render("image.registry", "ghcr.io/acme", "image.tag", "1.2.3",
                    "config.RUNNER_ENVIRONMENTS", "r-base,r-full,r-geo",
                    "environments.r-geo.image", "registry.example.org/r-geo:1.0");

            assertThat(Worker.prePull(chart)).contains("for image in 'ghcr.io/acme/r-runner-r-base:1.2.3' "
                    + "'ghcr.io/acme/r-runner-r-full:1.2.3' 'registry.example.org/r-geo:1.0' ; do");
        }

        @Test
        void refusesEnvironmentsTheAppsWouldRefuse() {
            assertThatThrownBy(() -> RenderedChart.render("config.RUNNER_ENVIRONMENTS", "r-base,r-geo"))
                    .hasMessageContaining("config.RUNNER_ENVIRONMENTS names \"r-geo\", which neither ships");
            assertThatThrownBy(() -> RenderedChart.render("config.RUNNER_DEFAULT_ENVIRONMENT", "r-full"))
                    .hasMessageContaining("config.RUNNER_DEFAULT_ENVIRONMENT is \"r-full\", which config.RUNNER_ENVIRONMENTS");
            assertThatThrownBy(() -> RenderedChart.render("environments.r-geo.description", "no image"))
                    .hasMessageContaining("environments.r-geo needs an image");
            assertThatThrownBy(() -> RenderedChart.render("environments.R_Geo.image", "r-geo:1"))
                    .hasMessageContaining("R_Geo");
        }
    }
}
