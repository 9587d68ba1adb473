package rrunner.deploy;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.ClassUtils;
import rrunner.common.testing.AppSettings;

/**
 * What gateway and worker bind with no environment variable set, the one home of every default: each app's
 * application.yaml with the shared settings it imports, bound onto the app's settings records (found as the app's
 * {@code @ConfigurationPropertiesScan} and common's wiring find them) and, for Boot's own keys, as plain values. A
 * copy of a default (README, .env.example, compose, Helm) agrees when setting its value binds nothing differently.
 */
final class BoundDefaults {

    /** RUNNER_TOKEN has no default, yet the gateway refuses to bind without one. */
    private static final Map<String, String> REQUIRED = Map.of("RUNNER_TOKEN", "any-token");

    static final BoundDefaults GATEWAY = new BoundDefaults("gateway", "api-gateway", "rrunner.gateway");
    static final BoundDefaults WORKER = new BoundDefaults("worker", "worker", "rrunner.worker");

    private final String app;
    private final AppSettings settings;
    private final List<Class<?>> records;
    private final Map<String, Object> defaults;

    private BoundDefaults(String app, String module, String appPackage) {
        this.app = app;
        this.settings = AppSettings.load(
                "file:" + RepositoryFiles.path(module + "/src/main/resources/application.yaml"));
        this.records = settingsRecords(appPackage, "rrunner.common");
        this.defaults = bind(Map.of());
    }

    /**
     * Where the values a copy gives the environment variables bind differently from the defaults in either app,
     * one line per variable and setting; empty when the copy agrees.
     */
    static List<String> disagreements(String copy, Map<String, String> values) {
        List<String> disagreements = new ArrayList<>();
        values.forEach((name, value) -> {
            for (BoundDefaults app : List.of(GATEWAY, WORKER)) {
                app.differences(name, value).forEach(difference ->
                        disagreements.add(copy + " has " + name + "=" + value + ", but " + difference));
            }
        });
        return disagreements;
    }

    private List<String> differences(String name, String value) {
        Map<String, Object> bound;
        try {
            bound = bind(Map.of(name, value));
        } catch (RuntimeException e) {
            return List.of("the " + app + " refuses it: " + e.getMessage());
        }
        List<String> differences = new ArrayList<>();
        defaults.forEach((key, byDefault) -> {
            Object withValue = bound.get(key);
            if (byDefault instanceof Record && !byDefault.equals(withValue)) {
                for (RecordComponent component : byDefault.getClass().getRecordComponents()) {
                    Object was = read(component, byDefault);
                    Object is = read(component, withValue);
                    if (!Objects.equals(was, is)) {
                        differences.add(describe(key + "." + component.getName(), was, is));
                    }
                }
            } else if (!Objects.equals(byDefault, withValue)) {
                differences.add(describe(key, byDefault, withValue));
            }
        });
        return differences;
    }

    private String describe(String setting, Object byDefault, Object withValue) {
        return "the " + app + " binds " + setting + " to " + byDefault + " by default, to " + withValue + " with it";
    }

    /** Every settings record bound, by prefix, and every other key of the config files (Boot's own) as a string. */
    private Map<String, Object> bind(Map<String, String> environment) {
        Map<String, String> withRequired = new LinkedHashMap<>(REQUIRED);
        withRequired.putAll(environment);
        Map<String, Object> bound = new LinkedHashMap<>();
        for (Class<?> type : records) {
            bound.put(AppSettings.prefix(type), settings.bind(type, withRequired));
        }
        Binder binder = settings.binder(withRequired);
        for (PropertySource<?> file : settings.files()) {
            if (file instanceof EnumerablePropertySource<?> properties) {
                for (String key : properties.getPropertyNames()) {
                    if (records.stream().noneMatch(type -> key.startsWith(AppSettings.prefix(type) + "."))) {
                        bound.putIfAbsent(key, binder.bind(key, String.class).orElse(null));
                    }
                }
            }
        }
        return bound;
    }

    private static Object read(RecordComponent component, Object record) {
        try {
            return component.getAccessor().invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Class<?>> settingsRecords(String... packages) {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
        List<Class<?>> records = new ArrayList<>();
        for (String basePackage : packages) {
            for (BeanDefinition candidate : scanner.findCandidateComponents(basePackage)) {
                records.add(ClassUtils.resolveClassName(candidate.getBeanClassName(), null));
            }
        }
        if (records.isEmpty()) {
            throw new IllegalStateException("no @ConfigurationProperties records in " + List.of(packages));
        }
        return records;
    }
}
