package rrunner.common.testing;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.properties.CanBeAnnotated.Predicates.annotatedWith;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchRule;
import org.springframework.context.annotation.Configuration;

/**
 * STYLE.md's layout rules that depend on the module: each module's {@code ArchitectureTest} names its own
 * packages. The rules every module shares are {@link CodeConventions} and {@link TestConventions}.
 */
public final class ArchitectureRules {

    private ArchitectureRules() {
    }

    /**
     * No cycle between the top-level packages under {@code root} ({@code rrunner.gateway.run},
     * {@code rrunner.gateway.jobs}...). The wiring classes of a {@code config} package are left out: they assemble
     * the features, so reaching every feature is their job, while features may read the settings kept beside them.
     */
    public static ArchRule noPackageCycles(String root) {
        return slices().matching(root + ".(*)..").namingSlices("$1")
                .should().beFreeOfCycles()
                .ignoreDependency(wiringIn("..config.."), DescribedPredicate.alwaysTrue());
    }

    /** Spring wiring ({@code @Configuration} classes) lives only in the given packages. */
    public static ArchRule wiringOnlyIn(String... packages) {
        return classes().that().areAnnotatedWith(Configuration.class)
                .should().resideInAnyPackage(packages)
                .because("STYLE.md: packages by feature, wiring in config");
    }

    /** Nothing in {@code from} uses a class of any of {@code others}: the module graph points one way. */
    public static ArchRule independentOf(String from, String... others) {
        return noClasses().that().resideInAPackage(from)
                .should().dependOnClassesThat().resideInAnyPackage(others)
                .because("STYLE.md: api-gateway -> common <- worker");
    }

    private static DescribedPredicate<JavaClass> wiringIn(String packagePattern) {
        return annotatedWith(Configuration.class).and(resideInAPackage(packagePattern))
                .as("@Configuration classes in " + packagePattern);
    }
}
