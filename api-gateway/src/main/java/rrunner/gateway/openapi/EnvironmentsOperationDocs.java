package rrunner.gateway.openapi;

import static rrunner.gateway.openapi.ApiSchemas.object;
import static rrunner.gateway.openapi.ApiSchemas.ref;
import static rrunner.gateway.openapi.ApiSchemas.string;
import static rrunner.gateway.openapi.ApiSchemas.typed;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.JsonSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import rrunner.common.environment.EnvironmentStatus;
import rrunner.gateway.problem.ProblemType;

/**
 * Documents {@code GET /environments}, {@code GET /environments/{name}} and the one problem of {@code GET /system},
 * which shows the default environment's packages.
 */
public final class EnvironmentsOperationDocs implements OpenApiCustomizer {

    static final String ENVIRONMENT_LIST = "EnvironmentList";
    static final String ENVIRONMENT = "Environment";
    static final String ENVIRONMENT_DETAILS = "EnvironmentDetails";
    static final String LIMIT_RANGE = "LimitRange";

    private static final List<String> AVAILABLE = List.of("r-base", "r-full");

    @Override
    public void customise(OpenAPI api) {
        api.getComponents().addSchemas(ENVIRONMENT_LIST, environmentList());
        api.getComponents().addSchemas(ENVIRONMENT, environment("An environment a script may run in."));
        api.getComponents().addSchemas(ENVIRONMENT_DETAILS, details());
        api.getComponents().addSchemas(LIMIT_RANGE, limitRange());
        // why: springdoc infers it from the controllers' return type; the responses below use the schemas above
        api.getComponents().getSchemas().remove("EnvironmentView");
        list(api.getPaths().get("/environments").getGet());
        get(api.getPaths().get("/environments/{name}").getGet());
        system(api.getPaths().get("/system").getGet());
    }

    private static void list(Operation list) {
        ProblemResponses problems = new ProblemResponses("/environments");
        list.description("Every environment this deployment offers, the default first: its image, the image id "
                + "and R version live workers report, its status over them, its limits and an example script.");
        list.responses(new ApiResponses()
                .addApiResponse("200", json("The environments.", ENVIRONMENT_LIST,
                        Map.of("default", "r-base", "environments", List.of(example(false)))))
                .addApiResponse("401", problems.unauthorized())
                .addApiResponse("503", storeUnavailable(problems)));
    }

    private static void get(Operation get) {
        ProblemResponses problems = new ProblemResponses("/environments/r-fancy");
        get.description("One environment with its installed R packages and their versions, as a worker last "
                + "published them; until one has, packages is empty and inventory_status not_reported.");
        get.parameters(List.of(new Parameter().in("path").name("name").required(true)
                .description("The environment's name.").schema(string(null)).example("r-full")));
        get.responses(new ApiResponses()
                .addApiResponse("200", json("The environment.", ENVIRONMENT_DETAILS, example(true)))
                .addApiResponse("401", problems.unauthorized())
                .addApiResponse("404", problems.problem("No such environment here.",
                        ProblemType.ENVIRONMENT_NOT_FOUND, "no environment r-fancy here; available: r-base, r-full",
                        Map.of("environment", "r-fancy", "available", AVAILABLE)))
                .addApiResponse("503", storeUnavailable(problems)));
    }

    private static void system(Operation system) {
        ProblemResponses problems = new ProblemResponses("/system");
        system.getResponses().addApiResponse("503", problems.retryLater("No worker has reported the default "
                + "environment's image yet; retry after Retry-After seconds.", ProblemType.INVENTORY_NOT_REPORTED,
                "no worker has reported the execution image yet"));
    }

    private static ApiResponse storeUnavailable(ProblemResponses problems) {
        return problems.retryLater("Redis, the job store, does not answer.", ProblemType.JOB_STORE_UNAVAILABLE,
                "the job store is unavailable; retry later");
    }

    private static ApiResponse json(String description, String schema, Object example) {
        return new ApiResponse().description(description).content(new Content().addMediaType(RunOperationDocs.JSON,
                new MediaType().schema(ref(schema)).example(example)));
    }

    private static Schema<?> environmentList() {
        return object("The environments a script may run in.")
                .required(List.of("default", "environments"))
                .addProperty("default", string("The environment of a request that names none."))
                .addProperty("environments", typed("array", "Every enabled environment, the default first.")
                        .items(ref(ENVIRONMENT)));
    }

    private static Schema<?> environment(String description) {
        return object(description)
                .required(List.of("name", "description", "example", "image", "image_id", "r_version", "status",
                        "limits"))
                .addProperty("name", string("What a request's environment field names."))
                .addProperty("description", string("What it is for."))
                .addProperty("example", string("A short script that shows what it offers."))
                .addProperty("image", string("The image its sandboxes are made from, by name."))
                .addProperty("image_id", nullable("The image's id (content digest) as a live worker reports it, "
                        + "else as the last published package list names it; the provenance of a result run here "
                        + "shows the same id. Null when neither is known."))
                .addProperty("r_version", nullable("R's version string in that image; null when not known."))
                .addProperty("status", string("ready: a live worker has its image and takes its jobs now; pulling: "
                        + "a live worker is getting the image, jobs wait for it; unavailable: no live worker serves "
                        + "it (requests naming it answer 503 while other workers are live).")
                        ._enum(List.<Object>of(EnvironmentStatus.READY.wireName(),
                                EnvironmentStatus.PULLING.wireName(), EnvironmentStatus.UNAVAILABLE.wireName())))
                .addProperty("limits", ref(LIMIT_RANGE));
    }

    private static Schema<?> details() {
        Schema<?> details = environment("An environment with its installed R packages.");
        List<String> required = new ArrayList<>(details.getRequired());
        required.addAll(List.of("inventory_status", "packages", "versions"));
        return details.required(required)
                .addProperty("inventory_status", string("reported, or not_reported while no worker has published "
                        + "the environment's packages (then packages is empty).")
                        ._enum(List.<Object>of("reported", "not_reported")))
                .addProperty("packages", typed("array", "Installed R packages, sorted.").items(string(null)))
                .addProperty("versions", object("Package name to version.")
                        .additionalProperties(string(null)));
    }

    private static Schema<?> limitRange() {
        return object("What a request gets when it asks for no limits, and the most it may ask for.")
                .required(List.of("default", "max"))
                .addProperty("default", ref(ApiSchemas.LIMITS))
                .addProperty("max", ref(ApiSchemas.LIMITS));
    }

    private static Schema<Object> nullable(String description) {
        return new JsonSchema().types(new LinkedHashSet<>(List.of("string", "null"))).description(description);
    }

    private static Map<String, Object> example(boolean details) {
        Map<String, Object> environment = new LinkedHashMap<>();
        environment.put("name", "r-base");
        environment.put("description", "R with its base and recommended packages; starts fastest.");
        environment.put("example", "summary(lm(mpg ~ wt, data = mtcars))");
        environment.put("image", "r-runner-r-base:latest");
        environment.put("image_id", "sha256:5d1f0e3b9c2a4f6e8d7c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0e");
        environment.put("r_version", "R version 4.2.2 Patched (2022-11-10 r83330)");
        environment.put("status", EnvironmentStatus.READY.wireName());
        Map<String, Object> max = new LinkedHashMap<>();
        max.put("timeout_seconds", 300);
        max.put("memory_mb", 2048);
        max.put("cpus", 2.0);
        Map<String, Object> defaults = new LinkedHashMap<>();
        defaults.put("timeout_seconds", 30);
        defaults.put("memory_mb", 512);
        defaults.put("cpus", 1.0);
        environment.put("limits", Map.of("default", defaults, "max", max));
        if (details) {
            environment.put("inventory_status", "reported");
            environment.put("packages", List.of("base", "stats", "utils"));
            environment.put("versions", Map.of("base", "4.2.2", "stats", "4.2.2", "utils", "4.2.2"));
        }
        return environment;
    }
}
