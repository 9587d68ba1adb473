package rrunner.common.testing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * STYLE.md's rules for main code that hold in every module; a module's {@code ArchitectureTest} includes them with
 * {@code ArchTests.in(CodeConventions.class)}.
 */
public final class CodeConventions {

    /** Settings are validated records, so a bad value stops startup with a message. */
    @ArchTest
    static final ArchRule settingsAreValidatedRecords = classes().that().areAnnotatedWith(ConfigurationProperties.class)
            .should().beRecords()
            .andShould().beAnnotatedWith(Validated.class)
            .because("STYLE.md: @ConfigurationProperties records, @Validated");

    /** Classes are named for what they do. */
    @ArchTest
    static final ArchRule noVagueClassNames = noClasses().should().haveSimpleNameEndingWith("Manager")
            .orShould().haveSimpleNameEndingWith("Util")
            .orShould().haveSimpleNameEndingWith("Utils")
            .orShould().haveSimpleNameEndingWith("Helper")
            .because("STYLE.md: no Manager, Util, Helper");

    @ArchTest
    static final ArchRule exceptionsNameTheCondition = classes().that().areAssignableTo(Throwable.class)
            .should().haveSimpleNameEndingWith("Exception")
            .because("STYLE.md: exceptions name the condition, e.g. ScriptTooLargeException");

    private CodeConventions() {
    }
}
