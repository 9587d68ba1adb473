package rrunner.worker;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import rrunner.common.testing.ArchitectureRules;

/** STYLE.md's layout and naming rules on the worker's main code. */
@AnalyzeClasses(packages = "rrunner.worker", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule mainCode = ArchitectureRules.mainCode("rrunner.worker", "rrunner.worker.config",
            "rrunner.gateway..");
}
