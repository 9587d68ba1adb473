package rrunner.gateway.config;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import java.util.List;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import rrunner.gateway.openapi.EnvironmentsOperationDocs;
import rrunner.gateway.openapi.EveryOperationDocs;
import rrunner.gateway.openapi.JobsOperationDocs;
import rrunner.gateway.openapi.RunOperationDocs;
import rrunner.gateway.openapi.SessionFilesOperationDocs;
import rrunner.gateway.openapi.SessionsOperationDocs;

/** The document's header: what the API is, where it lives ({@code PUBLIC_BASE_URL}) and how to authenticate. */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfiguration {

    /** The security scheme {@code /run} and {@code /jobs} require; referenced by name from the controllers. */
    public static final String BEARER_AUTH = "bearerAuth";

    /** The version of the HTTP contract, not of the build: it changes when callers must change. */
    private static final String API_VERSION = "1.0.0";

    @Bean
    OpenAPI rrunnerOpenApi(GatewayProperties properties) {
        return new OpenAPI()
                .info(new Info()
                        .title("r-runner")
                        .version(API_VERSION)
                        .description("Runs R scripts, each in its own short-lived, network-less, locked-down "
                                + "container, and returns what they printed and the files they wrote: at once with "
                                + "POST /run, or as a job (POST /jobs) to poll, stream live or cancel. /run, "
                                + "/jobs, /queue and /environments need Authorization: Bearer <token>; the other "
                                + "endpoints are public.")
                        .license(new License().name("MIT").identifier("MIT")))
                .servers(List.of(new Server().url(properties.publicBaseUrl())))
                .components(new Components().addSecuritySchemes(BEARER_AUTH, new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP)
                        .scheme("bearer")
                        .description("The service's RUNNER_TOKEN.")));
    }

    @Bean
    OpenApiCustomizer runOperationDocs() {
        return new RunOperationDocs();
    }

    @Bean
    OpenApiCustomizer jobsOperationDocs() {
        return new JobsOperationDocs();
    }

    @Bean
    OpenApiCustomizer environmentsOperationDocs() {
        return new EnvironmentsOperationDocs();
    }

    @Bean
    OpenApiCustomizer sessionsOperationDocs() {
        return new SessionsOperationDocs();
    }

    @Bean
    OpenApiCustomizer sessionFilesOperationDocs() {
        return new SessionFilesOperationDocs();
    }

    @Bean
    OpenApiCustomizer everyOperationDocs() {
        return new EveryOperationDocs();
    }
}
