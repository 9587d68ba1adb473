package rrunner.deploy;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;

/** The manifests `helm template` renders from helm/r-runner for a set of --set values, as parsed YAML. */
final class RenderedChart {

    static final Path CHART = RepositoryFiles.path("helm/r-runner");
    static final String RELEASE = "rr";
    static final String NAMESPACE = "runner";
    /** What the chart calls its resources for release "rr": release name + chart name. */
    static final String PREFIX = "rr-r-runner";

    private final List<Map<String, Object>> manifests;

    private RenderedChart(List<Map<String, Object>> manifests) {
        this.manifests = manifests;
    }

    /** Renders the chart; values alternate key and value, as with `--set key=value`. */
    static RenderedChart render(Object... keysAndValues) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            values.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        TemplateCommand template = new Helm(CHART).template().withName(RELEASE).withNamespace(NAMESPACE);
        values.forEach(template::set);
        return new RenderedChart(Yamls.loadAll(template.call()));
    }

    List<Map<String, Object>> all() {
        return manifests;
    }

    Stream<Map<String, Object>> ofKind(String kind) {
        return manifests.stream().filter(m -> kind.equals(m.get("kind")));
    }

    /** The resource of this kind named PREFIX + suffix ("-worker"), if rendered. */
    Optional<Map<String, Object>> find(String kind, String nameSuffix) {
        String name = PREFIX + nameSuffix;
        return ofKind(kind).filter(m -> name.equals(Yamls.at(m, "metadata.name"))).findFirst();
    }

    Map<String, Object> get(String kind, String nameSuffix) {
        return find(kind, nameSuffix).orElseThrow(
                () -> new AssertionError("no " + kind + " " + PREFIX + nameSuffix + " rendered; got " + names()));
    }

    Map<String, Object> podSpec(String kind, String nameSuffix) {
        return Yamls.mapAt(get(kind, nameSuffix), "spec.template.spec");
    }

    Map<String, Object> container(String kind, String nameSuffix, String containerName) {
        return containers(kind, nameSuffix).stream()
                .filter(c -> containerName.equals(c.get("name")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no container " + containerName + " in " + nameSuffix));
    }

    List<Map<String, Object>> containers(String kind, String nameSuffix) {
        return Yamls.listAt(podSpec(kind, nameSuffix), "containers").stream().map(Yamls::map).toList();
    }

    /** Every container of every pod template rendered. */
    Stream<Map<String, Object>> allContainers() {
        return manifests.stream()
                .map(m -> Yamls.at(m, "spec.template.spec.containers"))
                .filter(c -> c != null)
                .flatMap(c -> Yamls.list(c).stream())
                .map(Yamls::map);
    }

    /** The env entry of that name in a container, or empty. */
    static Optional<Map<String, Object>> env(Map<String, Object> container, String name) {
        return Yamls.listAt(container, "env").stream()
                .map(Yamls::map)
                .filter(e -> name.equals(e.get("name")))
                .findFirst();
    }

    List<String> names() {
        return manifests.stream().map(m -> m.get("kind") + "/" + Yamls.at(m, "metadata.name")).toList();
    }
}
