package rrunner.gateway;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import rrunner.common.testing.ArchitectureRules;

/** STYLE.md's test conventions on the gateway's tests and fixtures. */
@AnalyzeClasses(packages = "rrunner.gateway", importOptions = ImportOption.OnlyIncludeTests.class)
class TestConventionsTest {

    @ArchTest
    static final ArchRule testCode = ArchitectureRules.testCode();
}
