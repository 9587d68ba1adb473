package rrunner.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** Loads YAML (and JSON) into plain maps and lists, and walks them by dotted paths. */
final class Yamls {

    private Yamls() {
    }

    static Map<String, Object> load(String text) {
        return map(yaml().load(text));
    }

    /** One YAML (or JSON) value of any kind: a mapping, a sequence or a scalar. */
    static Object loadValue(String text) {
        return yaml().load(text);
    }

    /** Every non-empty document of a multi-document stream such as `helm template` output. */
    static List<Map<String, Object>> loadAll(String text) {
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : yaml().loadAll(text)) {
            if (document != null) {
                documents.add(map(document));
            }
        }
        return documents;
    }

    /** The value at a dotted path ("spec.template.spec"), or null where any step is missing. */
    static Object at(Object root, String path) {
        Object current = root;
        for (String key : path.split("\\.")) {
            if (!(current instanceof Map<?, ?> node)) {
                return null;
            }
            current = node.get(key);
        }
        return current;
    }

    static Map<String, Object> mapAt(Object root, String path) {
        Object value = at(root, path);
        return value == null ? Map.of() : map(value);
    }

    static List<Object> listAt(Object root, String path) {
        Object value = at(root, path);
        return value == null ? List.of() : list(value);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        if (!(value instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("not a mapping: " + value);
        }
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        if (!(value instanceof List<?>)) {
            throw new IllegalArgumentException("not a sequence: " + value);
        }
        return (List<Object>) value;
    }

    private static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        return new Yaml(new SafeConstructor(options));
    }
}
