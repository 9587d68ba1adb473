package rrunner.worker;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;
import com.tngtech.archunit.lang.ArchRule;
import rrunner.common.testing.ArchitectureRules;
import rrunner.common.testing.CodeConventions;

/** STYLE.md's layout rules on the worker's main code. */
@AnalyzeClasses(packages = "rrunner.worker", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule noPackageCycles = ArchitectureRules.noPackageCycles("rrunner.worker");

    @ArchTest
    static final ArchRule neverUsesTheGateway = ArchitectureRules.independentOf("rrunner.worker..",
            "rrunner.gateway..");

    @ArchTest
    static final ArchRule wiringInConfig = ArchitectureRules.wiringOnlyIn("rrunner.worker.config");

    @ArchTest
    static final ArchTests conventions = ArchTests.in(CodeConventions.class);
}
