package rrunner.gateway;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.time.Duration;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import rrunner.common.testing.ArchitectureRules;

/** STYLE.md's layout and naming rules on the gateway's main code, and no blocking calls. */
@AnalyzeClasses(packages = "rrunner.gateway", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule mainCode = ArchitectureRules.mainCode("rrunner.gateway", "rrunner.gateway.config",
            "rrunner.worker..");

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
}
