package rrunner.common.environment;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.util.unit.DataSize;
import rrunner.common.job.JobSpec;
import rrunner.common.job.Limits;

/**
 * The environments this deployment serves, in the order {@code RUNNER_ENVIRONMENTS} names them, each with its
 * limits resolved against the server's. Built once at startup; a configuration that could not be served (an
 * unknown name, a default above its maximum, a maximum above the server's) stops the app with a message that
 * names the setting.
 */
public final class Environments {

    /** What a request's {@code environment} may be: also safe in metric tags, log lines and Redis keys. */
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

    /** Docker refuses memory limits under 6 MB. */
    private static final DataSize MIN_MEMORY = DataSize.ofMegabytes(6);

    private final Map<String, Environment> byName;
    private final Environment defaultEnvironment;
    private final List<Environment> all;

    private Environments(Map<String, Environment> byName, Environment defaultEnvironment) {
        this.byName = Map.copyOf(byName);
        this.defaultEnvironment = defaultEnvironment;
        List<Environment> ordered = new ArrayList<>(byName.values());
        ordered.remove(defaultEnvironment);
        ordered.add(0, defaultEnvironment);
        this.all = List.copyOf(ordered);
    }

    /** @throws IllegalStateException the configuration names something undefined or limits that contradict */
    public static Environments of(EnvironmentProperties environments, LimitsProperties limits) {
        LimitSettings serverMax = limits.max();
        check("the server's", limits.defaults(), serverMax, serverMax);
        Map<String, Environment> byName = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (String name : environments.enabled()) {
            if (!seen.add(name)) {
                throw new IllegalStateException("RUNNER_ENVIRONMENTS names " + name + " twice");
            }
            EnvironmentDefinition definition = environments.definitions().get(name);
            if (definition == null) {
                throw new IllegalStateException("RUNNER_ENVIRONMENTS names " + name + ", which is not defined; "
                        + "defined: " + String.join(", ", environments.definitions().keySet())
                        + " (add your own in RUNNER_ENVIRONMENTS_FILE)");
            }
            if (!NAME.matcher(name).matches()) {
                throw new IllegalStateException("environment name " + name + " must match " + NAME.pattern());
            }
            LimitSettings defaults = orEmpty(definition.defaults()).over(limits.defaults());
            LimitSettings max = orEmpty(definition.max()).over(serverMax);
            check("environment " + name + "'s", defaults, max, serverMax);
            byName.put(name, new Environment(name, definition.image(), orBlank(definition.description()),
                    orBlank(definition.example()), toLimits(defaults), toLimits(max)));
        }
        Environment defaultEnvironment = byName.get(environments.defaultEnvironment());
        if (defaultEnvironment == null) {
            throw new IllegalStateException("RUNNER_DEFAULT_ENVIRONMENT is " + environments.defaultEnvironment()
                    + ", which RUNNER_ENVIRONMENTS (" + String.join(",", environments.enabled())
                    + ") does not enable");
        }
        return new Environments(byName, defaultEnvironment);
    }

    /** The environment of a request that names none. */
    public Environment defaultEnvironment() {
        return defaultEnvironment;
    }

    /** The enabled environment of this name; empty for an unknown or disabled one. */
    public Optional<Environment> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The environment a job runs in: its own, or the default for a job that names none (older gateways). */
    public Optional<Environment> of(JobSpec spec) {
        return spec.environment() == null ? Optional.of(defaultEnvironment) : find(spec.environment());
    }

    /** Every enabled environment, the default first, then in {@code RUNNER_ENVIRONMENTS}' order. */
    public List<Environment> all() {
        return all;
    }

    /** The enabled environments' names, as {@link #all()} orders them. */
    public List<String> names() {
        return all().stream().map(Environment::name).toList();
    }

    private static void check(String whose, LimitSettings defaults, LimitSettings max, LimitSettings serverMax) {
        if (max.timeoutSeconds() > JobSpec.MAX_TIMEOUT_SECONDS) {
            throw new IllegalStateException(whose + " maximum timeout (" + max.timeoutSeconds()
                    + " s) is above the most a job may run, " + JobSpec.MAX_TIMEOUT_SECONDS + " s");
        }
        if (defaults.memory().compareTo(MIN_MEMORY) < 0) {
            throw new IllegalStateException(whose + " default memory limit (" + defaults.memory()
                    + ") is below Docker's least, " + MIN_MEMORY);
        }
        above(whose, "default timeout", defaults.timeoutSeconds(), "maximum", max.timeoutSeconds());
        above(whose, "default memory limit", defaults.memory(), "maximum", max.memory());
        above(whose, "default CPU limit", defaults.cpus(), "maximum", max.cpus());
        above(whose, "maximum timeout", max.timeoutSeconds(), "server's maximum (MAX_TIMEOUT_SECONDS)",
                serverMax.timeoutSeconds());
        above(whose, "maximum memory limit", max.memory(), "server's maximum (MAX_MEMORY_LIMIT)",
                serverMax.memory());
        above(whose, "maximum CPU limit", max.cpus(), "server's maximum (MAX_CPU_LIMIT)", serverMax.cpus());
    }

    private static <T extends Comparable<T>> void above(String whose, String what, T value, String boundName,
            T bound) {
        if (value.compareTo(bound) > 0) {
            throw new IllegalStateException(whose + " " + what + " (" + value + ") is above its " + boundName
                    + " (" + bound + ")");
        }
    }

    private static Limits toLimits(LimitSettings settings) {
        return new Limits(settings.timeoutSeconds(), settings.memory().toMegabytes(), settings.cpus());
    }

    private static LimitSettings orEmpty(LimitSettings settings) {
        return settings == null ? new LimitSettings(null, null, null) : settings;
    }

    private static String orBlank(String text) {
        return text == null ? "" : text.strip();
    }
}
