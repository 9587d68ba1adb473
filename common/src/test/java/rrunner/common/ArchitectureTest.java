package rrunner.common;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import rrunner.common.testing.ArchitectureRules;

/** STYLE.md's layout and naming rules on common's main code. */
@AnalyzeClasses(packages = "rrunner.common", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    /** why config: common has no app of its own; its wiring (Redis, the environment catalogue) is what both apps import. */
    @ArchTest
    static final ArchRule mainCode = ArchitectureRules.mainCode("rrunner.common", "rrunner.common.config",
            "rrunner.gateway..", "rrunner.worker..");
}
