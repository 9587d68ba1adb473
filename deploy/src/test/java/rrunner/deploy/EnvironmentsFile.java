package rrunner.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.validation.Validation;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.validation.ValidationBindHandler;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.validation.beanvalidation.SpringValidatorAdapter;
import rrunner.common.environment.EnvironmentProperties;
import rrunner.common.environment.Environments;
import rrunner.common.environment.LimitsProperties;

/**
 * The environments the apps serve with a given RUNNER_ENVIRONMENTS_FILE: the gateway's config files loaded as the app
 * loads them, so the file comes in through the shared settings' own {@code spring.config.import}, over an environment
 * that holds only the variables a test names.
 */
final class EnvironmentsFile {

    private static final SpringValidatorAdapter VALIDATOR =
            new SpringValidatorAdapter(Validation.buildDefaultValidatorFactory().getValidator());

    private EnvironmentsFile() {
    }

    /** What the apps serve with this file as RUNNER_ENVIRONMENTS_FILE and these other variables. */
    static Environments served(Path file, Map<String, String> variables) {
        Map<String, String> environment = new LinkedHashMap<>(variables);
        environment.put("RUNNER_ENVIRONMENTS_FILE", file.toAbsolutePath().toString());
        environment.put("spring.config.location",
                "file:" + RepositoryFiles.path("api-gateway/src/main/resources/application.yaml"));
        StandardEnvironment spring = new StandardEnvironment();
        MutablePropertySources sources = spring.getPropertySources();
        sources.remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
        sources.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.copyOf(environment)));
        ConfigDataEnvironmentPostProcessor.applyTo(spring);
        Binder binder = Binder.get(spring);
        return Environments.of(bind(binder, "rrunner.environments", EnvironmentProperties.class),
                bind(binder, "rrunner.limits", LimitsProperties.class));
    }

    /** The same for a file of this content. */
    static Environments served(String content, Map<String, String> variables) {
        try {
            Path file = Files.createTempFile("environments", ".yaml");
            try {
                Files.writeString(file, content, StandardCharsets.UTF_8);
                return served(file, variables);
            } finally {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T bind(Binder binder, String prefix, Class<T> type) {
        return binder.bindOrCreate(prefix, Bindable.of(type), new ValidationBindHandler(VALIDATOR));
    }
}
