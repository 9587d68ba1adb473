package rrunner.gateway.mcp;

/** The MCP names this server answers to: its endpoint, its tools and their arguments, in one place. */
public final class McpProtocol {

    /** Where the streamable HTTP transport listens; behind the same Bearer token as {@code /run}. */
    public static final String ENDPOINT = "/mcp";

    public static final String SERVER_NAME = "r-runner";

    public static final String RUN_R = "run_r";
    public static final String LIST_ENVIRONMENTS = "list_environments";
    public static final String DESCRIBE_ENVIRONMENT = "describe_environment";
    public static final String CREATE_SESSION = "create_session";
    public static final String EXEC_IN_SESSION = "exec_in_session";
    public static final String CLOSE_SESSION = "close_session";
    public static final String UPLOAD_FILE = "upload_file";
    public static final String READ_FILE = "read_file";
    public static final String LIST_FILES = "list_files";

    /** The argument naming a session in the session tools; the others are {@code POST /run}'s body fields. */
    public static final String SESSION_ID = "session_id";
    public static final String NAME = "name";

    /** The file tools' arguments: a workspace path, and an upload's content as text or as base64. */
    public static final String PATH = "path";
    public static final String CONTENT = "content";
    public static final String ENCODING = "encoding";
    public static final String BASE64 = "base64";

    /** The client's cancel of a request it sent; the SDK's server leaves it unhandled, so the transport takes it. */
    static final String CANCELLED = "notifications/cancelled";

    /** Transport-context keys through which a tool learns which request of which MCP session it is answering. */
    static final String CONTEXT_SESSION = "rrunner.mcp.session";
    static final String CONTEXT_REQUEST = "rrunner.mcp.request";
    static final String CONTEXT_TENANT = "rrunner.mcp.tenant";

    private McpProtocol() {
    }
}
