package rrunner.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static rrunner.deploy.Yamls.at;
import static rrunner.deploy.Yamls.listAt;
import static rrunner.deploy.Yamls.map;
import static rrunner.deploy.Yamls.mapAt;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Prometheus scrape configuration, Grafana provisioning and the dashboard under deploy/monitoring. That every
 * dashboard query names a metric the apps export is checked where the apps run: {@code e2e}'s
 * {@code GatewayAndWorkerE2EIT}.
 */
class MonitoringConfigTest {

    private static final String DASHBOARD = "deploy/monitoring/grafana/dashboards/r-runner.json";

    private final Map<String, Object> dashboard = Yamls.load(RepositoryFiles.read(DASHBOARD));

    @Test
    void prometheusScrapesGatewayAndEveryWorkerReplica() {
        Map<String, Object> prometheus = Yamls.load(RepositoryFiles.read("deploy/monitoring/prometheus.yml"));
        Map<String, Map<String, Object>> jobs = new LinkedHashMap<>();
        listAt(prometheus, "scrape_configs").forEach(j -> jobs.put((String) map(j).get("job_name"), map(j)));

        assertThat(jobs).containsOnlyKeys("gateway", "worker");
        assertThat(jobs.values()).allSatisfy(j -> assertThat(j).containsEntry("metrics_path", "/actuator/prometheus"));
        // DNS service discovery on the compose service name follows `--scale worker=N`
        Map<String, Object> workerSd = map(listAt(jobs.get("worker"), "dns_sd_configs").get(0));
        assertThat(workerSd).containsEntry("type", "A").containsEntry("port", 8081);
        assertThat(listAt(workerSd, "names")).containsExactly("worker");
        Map<String, Object> gatewaySd = map(listAt(jobs.get("gateway"), "dns_sd_configs").get(0));
        assertThat(gatewaySd).containsEntry("port", 8000);
    }

    @Test
    void grafanaIsProvisionedWithPrometheusAndTheDashboardFolderComposeMounts() {
        Map<String, Object> datasources = Yamls.load(
                RepositoryFiles.read("deploy/monitoring/grafana/provisioning/datasources/prometheus.yaml"));
        Map<String, Object> providers = Yamls.load(
                RepositoryFiles.read("deploy/monitoring/grafana/provisioning/dashboards/r-runner.yaml"));
        Map<String, Object> grafana = mapAt(Yamls.load(RepositoryFiles.read("compose.yaml")), "services.grafana");

        assertThat(map(listAt(datasources, "datasources").get(0)))
                .containsEntry("type", "prometheus")
                .containsEntry("url", "http://prometheus:9090");
        String path = (String) at(map(listAt(providers, "providers").get(0)), "options.path");
        assertThat(listAt(grafana, "volumes")).contains("./deploy/monitoring/grafana/dashboards:" + path + ":ro");
        assertThat(listAt(grafana, "volumes")).contains("./deploy/monitoring/grafana/provisioning:/etc/grafana/provisioning:ro");
    }

    @Test
    void dashboardUsesADatasourceVariableEverywhere() {
        Map<String, Object> variable = map(listAt(dashboard, "templating.list").get(0));

        assertThat((Integer) dashboard.get("schemaVersion")).isGreaterThanOrEqualTo(36);
        assertThat(variable).containsEntry("name", "datasource").containsEntry("type", "datasource")
                .containsEntry("query", "prometheus");
        assertThat(panels()).isNotEmpty().allSatisfy(panel -> {
            assertThat(mapAt(panel, "datasource")).containsEntry("uid", "${datasource}");
            assertThat(listAt(panel, "targets")).isNotEmpty()
                    .allSatisfy(t -> assertThat(mapAt(t, "datasource")).containsEntry("uid", "${datasource}"));
            assertThat(mapAt(panel, "gridPos")).containsKeys("h", "w", "x", "y");
        });
        assertThat(panels()).extracting(p -> p.get("id")).doesNotHaveDuplicates();
    }

    @Test
    void dashboardShowsQueueThroughputLatencyWorkersAndRejections() {
        String all = String.join("\n", expressions());

        assertThat(all).contains(
                "rrunner_queue_waiting", "rrunner_queue_retrying", "rrunner_queue_running",
                "rrunner_queue_oldest_waiting_seconds",
                "sum by (outcome) (rate(rrunner_jobs_finished_total[$__rate_interval]))",
                "histogram_quantile(0.5, sum by (le) (rate(rrunner_run_seconds_bucket[$__rate_interval])))",
                "histogram_quantile(0.95, sum by (le) (rate(rrunner_run_seconds_bucket[$__rate_interval])))",
                "histogram_quantile(0.5, sum by (le) (rate(rrunner_job_queue_wait_seconds_bucket[$__rate_interval])))",
                "histogram_quantile(0.95, sum by (le) (rate(rrunner_job_queue_wait_seconds_bucket[$__rate_interval])))",
                "histogram_quantile(0.95, sum by (le) (rate(rrunner_container_ready_seconds_bucket[$__rate_interval])))",
                "rrunner_workers_live",
                "sum by (reason) (rate(rrunner_requests_rejected_total[$__rate_interval]))");
    }

    private List<Map<String, Object>> panels() {
        return listAt(dashboard, "panels").stream().map(Yamls::map).toList();
    }

    private List<String> expressions() {
        List<String> expressions = new ArrayList<>();
        panels().forEach(p -> listAt(p, "targets").forEach(t -> expressions.add((String) map(t).get("expr"))));
        return expressions;
    }
}
