package rrunner.gateway;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;
import com.tngtech.archunit.lang.ArchRule;
import java.time.Duration;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import rrunner.common.testing.ArchitectureRules;
import rrunner.common.testing.CodeConventions;

/** STYLE.md's layout rules on the gateway's main code. */
@AnalyzeClasses(packages = "rrunner.gateway", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule noPackageCycles = ArchitectureRules.noPackageCycles("rrunner.gateway");

    @ArchTest
    static final ArchRule neverUsesTheWorker = ArchitectureRules.independentOf("rrunner.gateway..",
            "rrunner.worker..");

    @ArchTest
    static final ArchRule wiringInConfig = ArchitectureRules.wiringOnlyIn("rrunner.gateway.config");

    /** BlockHound finds a blocking call only on a path a test takes; this finds the obvious ones on every path. */
    @ArchTest
    static final ArchRule neverBlocks = noClasses()
            .should().callMethod(Mono.class, "block")
            .orShould().callMethod(Mono.class, "block", Duration.class)
            .orShould().callMethod(Mono.class, "blockOptional")
            .orShould().callMethod(Mono.class, "blockOptional", Duration.class)
            .orShould().callMethod(Flux.class, "blockFirst")
            .orShould().callMethod(Flux.class, "blockFirst", Duration.class)
            .orShould().callMethod(Flux.class, "blockLast")
            .orShould().callMethod(Flux.class, "blockLast", Duration.class)
            .orShould().callMethod(Thread.class, "sleep", long.class)
            .because("STYLE.md: the gateway is reactive end to end; no .block(), no sleeps");

    @ArchTest
    static final ArchTests conventions = ArchTests.in(CodeConventions.class);
}
