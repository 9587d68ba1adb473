package rrunner.common.testing;

import jakarta.validation.Validation;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.bind.validation.ValidationBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.validation.beanvalidation.SpringValidatorAdapter;

/**
 * An app's settings as the app binds them: its config file (with the files it imports) over an environment that
 * holds only the variables a test names, never the test machine's own. Tests build settings through this instead of
 * repeating the defaults, so each default stays written once.
 */
public final class AppSettings {

    private static final SpringValidatorAdapter VALIDATOR =
            new SpringValidatorAdapter(Validation.buildDefaultValidatorFactory().getValidator());

    private final MutablePropertySources files;

    private AppSettings(MutablePropertySources files) {
        this.files = files;
    }

    /** {@code location} as {@code spring.config.location} takes it: {@code classpath:application.yaml}, {@code file:...}. */
    public static AppSettings load(String location) {
        StandardEnvironment environment = new StandardEnvironment();
        MutablePropertySources sources = environment.getPropertySources();
        sources.remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        sources.remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
        sources.addFirst(new SystemEnvironmentPropertySource("location",
                Map.of("spring.config.location", location)));
        ConfigDataEnvironmentPostProcessor.applyTo(environment);
        sources.remove("location");
        return new AppSettings(sources);
    }

    /** The record bound from environment variables {@code names[0]=values[0]...}, validated as at startup. */
    public <T> T bind(Class<T> type, String... environment) {
        return bind(type, pairs(environment));
    }

    public <T> T bind(Class<T> type, Map<String, String> environment) {
        // why a handler per bind: it collects what it validates, so a shared one reports earlier binds' errors
        return binder(environment).bindOrCreate(prefix(type), Bindable.of(type), new ValidationBindHandler(VALIDATOR));
    }

    /** Binder over the given environment variables and the config files, for a property of any type. */
    public Binder binder(Map<String, String> environment) {
        MutablePropertySources sources = new MutablePropertySources(files);
        sources.addFirst(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.copyOf(environment)));
        return new Binder(ConfigurationPropertySources.from(sources), new PropertySourcesPlaceholdersResolver(sources));
    }

    /** The config files' property sources, highest precedence first. */
    public Iterable<PropertySource<?>> files() {
        return files;
    }

    public static String prefix(Class<?> type) {
        ConfigurationProperties properties = type.getAnnotation(ConfigurationProperties.class);
        if (properties == null) {
            throw new IllegalArgumentException(type.getName() + " is not a @ConfigurationProperties record");
        }
        return properties.prefix().isEmpty() ? properties.value() : properties.prefix();
    }

    private static Map<String, String> pairs(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("environment variables come as name, value pairs");
        }
        Map<String, String> environment = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            environment.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return environment;
    }
}
