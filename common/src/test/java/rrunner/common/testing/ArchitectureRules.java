package rrunner.common.testing;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.properties.CanBeAnnotated.Predicates.annotatedWith;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMethods;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.validation.annotation.Validated;

/**
 * The rules of STYLE.md that ArchUnit can check, shared so every module is held to the same ones: each module's
 * {@code ArchitectureTest} checks {@link #mainCode} on its main classes, its {@code TestConventionsTest}
 * {@link #testCode} on its test classes.
 */
public final class ArchitectureRules {

    private ArchitectureRules() {
    }

    /**
     * A module's main code: no package cycles under {@code root}, wiring only in {@code wiringPackage}, no use of
     * the {@code otherModules} (package patterns such as {@code rrunner.worker..}), validated settings records, and
     * classes named for what they do.
     */
    public static ArchRule mainCode(String root, String wiringPackage, String... otherModules) {
        return CompositeArchRule.of(noPackageCycles(root, wiringPackage))
                .and(classes().that().areAnnotatedWith(Configuration.class)
                        .should().resideInAPackage(wiringPackage)
                        .because("STYLE.md: packages by feature, wiring in config"))
                .and(noClasses().that().resideInAPackage(root + "..")
                        .should().dependOnClassesThat().resideInAnyPackage(otherModules)
                        .because("STYLE.md: api-gateway -> common <- worker"))
                .and(classes().that().areAnnotatedWith(ConfigurationProperties.class)
                        .should().beRecords()
                        .andShould().beAnnotatedWith(Validated.class)
                        .because("STYLE.md: @ConfigurationProperties records, @Validated"))
                .and(noClasses().should().haveSimpleNameEndingWith("Manager")
                        .orShould().haveSimpleNameEndingWith("Util")
                        .orShould().haveSimpleNameEndingWith("Utils")
                        .orShould().haveSimpleNameEndingWith("Helper")
                        .because("STYLE.md: no Manager, Util, Helper"))
                .and(classes().that().areAssignableTo(Throwable.class)
                        .should().haveSimpleNameEndingWith("Exception")
                        .because("STYLE.md: exceptions name the condition, e.g. ScriptTooLargeException"));
    }

    /** A module's tests: names state behaviour, containers only in integration tests, no sleeping. */
    public static ArchRule testCode() {
        return CompositeArchRule.of(noMethods()
                        .that().areAnnotatedWith(Test.class).or().areAnnotatedWith(ParameterizedTest.class)
                        .should().haveNameMatching("test[A-Z0-9_].*")
                        .because("STYLE.md: names state behaviour, no test prefix"))
                .and(noClasses().that().haveSimpleNameEndingWith("Test")
                        .should().dependOnClassesThat().resideInAPackage("org.testcontainers..")
                        .because("STYLE.md: *Test for pure logic, *IT for Redis, Docker or HTTP"))
                .and(noClasses().should().callMethod(Thread.class, "sleep", long.class)
                        .orShould().callMethod(Thread.class, "sleep", long.class, int.class)
                        .because("STYLE.md: wait with Awaitility or StepVerifier, never Thread.sleep"));
    }

    /**
     * No cycle between the top-level packages under {@code root} ({@code rrunner.gateway.run},
     * {@code rrunner.gateway.jobs}...). The {@code @Configuration} classes of the wiring package are left out: they
     * assemble the features, so reaching every feature is their job, while features may read the settings kept
     * beside them.
     */
    private static ArchRule noPackageCycles(String root, String wiringPackage) {
        DescribedPredicate<JavaClass> wiring = annotatedWith(Configuration.class).and(resideInAPackage(wiringPackage))
                .as("@Configuration classes in " + wiringPackage);
        return slices().matching(root + ".(*)..").namingSlices("$1")
                .should().beFreeOfCycles()
                .ignoreDependency(wiring, DescribedPredicate.alwaysTrue());
    }
}
