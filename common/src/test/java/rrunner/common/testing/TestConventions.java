package rrunner.common.testing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMethods;

import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * STYLE.md's rules for tests that hold in every module; a module's {@code ArchitectureTest} includes them with
 * {@code ArchTests.in(TestConventions.class)} on its test classes.
 */
public final class TestConventions {

    @ArchTest
    static final ArchRule namesStateBehaviour = noMethods()
            .that().areAnnotatedWith(Test.class).or().areAnnotatedWith(ParameterizedTest.class)
            .should().haveNameMatching("test[A-Z0-9_].*")
            .because("STYLE.md: names state behaviour, no test prefix");

    @ArchTest
    static final ArchRule containerTestsAreIntegrationTests = noClasses().that().haveSimpleNameEndingWith("Test")
            .should().dependOnClassesThat().resideInAPackage("org.testcontainers..")
            .because("STYLE.md: *Test for pure logic, *IT for Redis, Docker or HTTP");

    @ArchTest
    static final ArchRule waitOnSignalsNotTheClock = noClasses()
            .should().callMethod(Thread.class, "sleep", long.class)
            .orShould().callMethod(Thread.class, "sleep", long.class, int.class)
            .because("STYLE.md: wait with Awaitility or StepVerifier, never Thread.sleep");

    private TestConventions() {
    }
}
