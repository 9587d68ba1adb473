package rrunner.gateway.openapi;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.util.List;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.core.Ordered;
import rrunner.gateway.problem.ProblemType;

/**
 * What every operation states, after the other customisers documented it: who may call it, and an error a client
 * gets from it. A linter (and a client generator) reads an operation without {@code security} as "whatever the
 * document's default is", so a public one says {@code security: []}; one with no error documented would leave a
 * client nothing to handle, so a protected one gets its {@code 401} and a public one the {@code 406} the framework
 * answers when {@code Accept} allows none of its answer types.
 */
public final class EveryOperationDocs implements OpenApiCustomizer, Ordered {

    @Override
    public void customise(OpenAPI api) {
        api.getPaths().forEach((path, item) -> item.readOperations().forEach(operation -> complete(path, operation)));
    }

    /** Runs after the customisers that replace whole response sets, so it sees the final ones. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    private static void complete(String path, Operation operation) {
        ProblemResponses problems = new ProblemResponses(path);
        if (operation.getResponses() == null) {
            operation.responses(new ApiResponses());
        }
        boolean isPublic = operation.getSecurity() == null || operation.getSecurity().isEmpty();
        if (isPublic) {
            operation.security(List.of());
        } else if (!operation.getResponses().containsKey("401")) {
            operation.getResponses().addApiResponse("401", problems.unauthorized());
        }
        if (operation.getResponses().keySet().stream().noneMatch(code -> code.startsWith("4"))) {
            operation.getResponses().addApiResponse("406", problems.problem("No answer type Accept allows.",
                    ProblemType.NOT_ACCEPTABLE, "Acceptable representations: " + answerTypes(operation) + "."));
        }
    }

    private static List<String> answerTypes(Operation operation) {
        ApiResponse ok = operation.getResponses().get("200");
        return ok == null || ok.getContent() == null ? List.of() : List.copyOf(ok.getContent().keySet());
    }
}
