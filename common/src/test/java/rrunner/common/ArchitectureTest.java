package rrunner.common;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;
import com.tngtech.archunit.lang.ArchRule;
import rrunner.common.testing.ArchitectureRules;
import rrunner.common.testing.CodeConventions;

/** STYLE.md's layout rules on common's main code. */
@AnalyzeClasses(packages = "rrunner.common", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule noPackageCycles = ArchitectureRules.noPackageCycles("rrunner.common");

    @ArchTest
    static final ArchRule freeOfTheApps = ArchitectureRules.independentOf("rrunner.common..",
            "rrunner.gateway..", "rrunner.worker..");

    /** why redis: common has no app of its own; its one piece of wiring is the Redis setup both apps import. */
    @ArchTest
    static final ArchRule wiringInItsPackage = ArchitectureRules.wiringOnlyIn("rrunner.common.redis");

    @ArchTest
    static final ArchTests conventions = ArchTests.in(CodeConventions.class);
}
