package rrunner.gateway.config;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpAsyncServer;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.spec.McpSchema;
import org.springframework.boot.info.BuildProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;
import rrunner.gateway.mcp.McpProtocol;
import rrunner.gateway.mcp.StreamableHttpTransport;
import rrunner.gateway.mcp.ToolSpecifications;
import tools.jackson.databind.json.JsonMapper;

/** The MCP server at {@code /mcp}: the SDK's server on the gateway's streamable HTTP transport, with its tools. */
@Configuration(proxyBeanMethods = false)
public class McpConfiguration {

    /** why its own mapper: MCP's messages follow the SDK's annotations, not the gateway's JSON settings. */
    @Bean
    McpJsonMapper mcpJsonMapper() {
        return new JacksonMcpJsonMapper(JsonMapper.builder().build());
    }

    @Bean(destroyMethod = "close")
    McpAsyncServer mcpServer(StreamableHttpTransport transport, ToolSpecifications tools, McpJsonMapper json,
            ObjectProvider<BuildProperties> build) {
        String version = build.getIfAvailable() == null ? "dev" : build.getIfAvailable().getVersion();
        return McpServer.async(transport)
                .serverInfo(McpProtocol.SERVER_NAME, version)
                .jsonMapper(json)
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
                .instructions("Runs R scripts in isolated sandboxes. Use run_r for one-off scripts and plots, "
                        + "the session tools to keep R objects between calls, list_environments to see what "
                        + "R packages and limits are available.")
                .tools(tools.all())
                .build();
    }

    @Bean
    RouterFunction<ServerResponse> mcpRoutes(StreamableHttpTransport transport) {
        return transport.routes();
    }
}
