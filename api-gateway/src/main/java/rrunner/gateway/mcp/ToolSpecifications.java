package rrunner.gateway.mcp;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpAsyncServerExchange;
import io.modelcontextprotocol.server.McpServerFeatures.AsyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import rrunner.gateway.tenants.Tenant;
import rrunner.common.json.JsonCodec;
import rrunner.gateway.config.GatewayProperties;
import rrunner.gateway.environments.EnvironmentCatalog;
import rrunner.gateway.run.RunRequestReader;
import rrunner.gateway.sessions.SessionCloser;
import rrunner.gateway.sessions.SessionLookup;
import rrunner.gateway.sessions.SessionOpener;
import rrunner.gateway.sessions.SessionWorkspace;
import rrunner.gateway.sessions.SessionsProperties;

/**
 * The tools, each handled by the component behind the matching HTTP endpoint: a tool's arguments are read as that
 * endpoint's body, so they meet the same parser, limits and problems; a problem comes back as a tool error result.
 */
@Component
public class ToolSpecifications {

    private final McpJsonMapper json;
    private final RunRequestReader reader;
    private final ScriptRuns runs;
    private final EnvironmentCatalog environments;
    private final SessionOpener opener;
    private final SessionCloser closer;
    private final SessionsProperties sessions;
    private final SessionWorkspace workspace;
    private final int maxFileBytes;

    ToolSpecifications(McpJsonMapper json, RunRequestReader reader, ScriptRuns runs, EnvironmentCatalog environments,
            SessionOpener opener, SessionCloser closer, SessionsProperties sessions, SessionWorkspace workspace,
            GatewayProperties properties) {
        this.json = json;
        this.reader = reader;
        this.runs = runs;
        this.environments = environments;
        this.opener = opener;
        this.closer = closer;
        this.sessions = sessions;
        this.workspace = workspace;
        this.maxFileBytes = properties.maxInputFileBytes();
    }

    public List<AsyncToolSpecification> all() {
        return List.of(
                tool(McpProtocol.RUN_R, "Run R", ToolSchemas.RUN_R_DESCRIPTION, ToolSchemas.RUN_R,
                        (exchange, call) -> runs.run(exchange, call, reader.readSpec(body(call), tenant(exchange)))),
                tool(McpProtocol.LIST_ENVIRONMENTS, "List R environments",
                        ToolSchemas.LIST_ENVIRONMENTS_DESCRIPTION, ToolSchemas.LIST_ENVIRONMENTS,
                        (exchange, call) -> answer(environments.list())),
                tool(McpProtocol.DESCRIBE_ENVIRONMENT, "Describe an R environment",
                        ToolSchemas.DESCRIBE_ENVIRONMENT_DESCRIPTION, ToolSchemas.DESCRIBE_ENVIRONMENT,
                        (exchange, call) -> answer(Mono.defer(() -> environments.describe(
                                text(call, McpProtocol.NAME))))),
                tool(McpProtocol.CREATE_SESSION, "Start an R session", ToolSchemas.CREATE_SESSION_DESCRIPTION,
                        ToolSchemas.CREATE_SESSION, (exchange, call) -> answer(opener.open(
                                reader.readSessionSpec(body(call), sessions.ttl(), sessions.maxTtl(),
                                        tenant(exchange)), tenant(exchange).id()))),
                tool(McpProtocol.EXEC_IN_SESSION, "Run R in a session", ToolSchemas.EXEC_IN_SESSION_DESCRIPTION,
                        ToolSchemas.EXEC_IN_SESSION, (exchange, call) -> runs.run(exchange, call,
                                SessionLookup.parse(text(call, McpProtocol.SESSION_ID))
                                        .flatMap(session -> reader.readExecSpec(body(call), session,
                                                tenant(exchange))))),
                tool(McpProtocol.CLOSE_SESSION, "End an R session", ToolSchemas.CLOSE_SESSION_DESCRIPTION,
                        ToolSchemas.CLOSE_SESSION, (exchange, call) -> answer(closer.close(
                                text(call, McpProtocol.SESSION_ID), tenant(exchange).id())
                                .thenReturn(Map.of("closed", true)))),
                tool(McpProtocol.UPLOAD_FILE, "Upload a file to a session", ToolSchemas.UPLOAD_FILE_DESCRIPTION,
                        ToolSchemas.UPLOAD_FILE, this::upload),
                tool(McpProtocol.READ_FILE, "Read a file from a session", ToolSchemas.READ_FILE_DESCRIPTION,
                        ToolSchemas.READ_FILE, (exchange, call) -> workspace.read(
                                text(call, McpProtocol.SESSION_ID), tenant(exchange), text(call, McpProtocol.PATH))
                                .map(content -> FileContents.of(text(call, McpProtocol.SESSION_ID),
                                        text(call, McpProtocol.PATH), content))
                                .onErrorResume(ToolResults::recover)),
                tool(McpProtocol.LIST_FILES, "List a session's files", ToolSchemas.LIST_FILES_DESCRIPTION,
                        ToolSchemas.LIST_FILES, (exchange, call) -> answer(workspace.list(
                                text(call, McpProtocol.SESSION_ID), tenant(exchange)))));
    }

    private Mono<CallToolResult> upload(McpAsyncServerExchange exchange, McpSchema.CallToolRequest call) {
        String path = text(call, McpProtocol.PATH);
        Mono<byte[]> content = Mono.fromCallable(() -> UploadedContent.decode(text(call, McpProtocol.CONTENT),
                call.arguments().get(McpProtocol.ENCODING), maxFileBytes));
        return answer(content.flatMap(bytes -> workspace.put(text(call, McpProtocol.SESSION_ID), tenant(exchange),
                path, Mono.just(bytes)).thenReturn(Map.of(McpProtocol.PATH, path, "bytes", bytes.length))));
    }

    private AsyncToolSpecification tool(String name, String title, String description, String schema,
            BiFunction<McpAsyncServerExchange, McpSchema.CallToolRequest, Mono<CallToolResult>> handler) {
        return AsyncToolSpecification.builder()
                .tool(McpSchema.Tool.builder().name(name).title(title).description(description)
                        .inputSchema(json, schema).build())
                .callHandler(handler)
                .build();
    }

    private static Mono<CallToolResult> answer(Mono<?> body) {
        return body.map(ToolResults::ofJson)
                .onErrorResume(ToolResults::recover);
    }

    /** The arguments as the HTTP body they stand for; other fields (session_id) are ignored there, as on HTTP. */
    private static byte[] body(McpSchema.CallToolRequest call) {
        return JsonCodec.write(call.arguments() == null ? Map.of() : call.arguments())
                .getBytes(StandardCharsets.UTF_8);
    }

    /** The caller, as the bearer token filter found it and the transport passed it on. */
    static Tenant tenant(McpAsyncServerExchange exchange) {
        return (Tenant) exchange.transportContext().get(McpProtocol.CONTEXT_TENANT);
    }

    /** The schema makes it a required string; the SDK checks arguments against it before the handler runs. */
    private static String text(McpSchema.CallToolRequest call, String argument) {
        return String.valueOf(call.arguments().get(argument));
    }
}
