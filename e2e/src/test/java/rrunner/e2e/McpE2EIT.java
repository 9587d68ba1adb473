package rrunner.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Testcontainers;
import reactor.core.publisher.Mono;
import rrunner.common.job.JobId;
import rrunner.common.job.JobState;
import rrunner.common.testing.RedisTestContainer;

/**
 * The MCP server end to end, driven by the MCP Java SDK's client over streamable HTTP against a real gateway and
 * worker, R in real containers: the tools list with their schemas, run_r's text, image and error results, the token
 * check, progress carrying output lines before the result, a cancel that stops the job, and a session keeping an
 * object between execs.
 */
@Testcontainers
class McpE2EIT {

    private static final String TOKEN = "mcp-" + System.nanoTime();
    private static final String PREFIX = "mcp";
    private static final String WORKER = "mcp-worker-" + System.nanoTime();
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final Pattern JOB_ID = Pattern.compile("job_id: ([0-9a-f-]+)");
    private static final Duration SETTLE = Duration.ofSeconds(60);

    @org.testcontainers.junit.jupiter.Container
    static final GenericContainer<?> REDIS = RedisTestContainer.create();

    private static AppProcess gateway;
    private static AppProcess worker;
    private static Http http;
    private static String baseUrl;
    private static QueueProbe probe;

    @BeforeAll
    static void startGatewayAndWorker() {
        int port = Env.freePort();
        baseUrl = "http://localhost:" + port;
        http = new Http(baseUrl, TOKEN);
        Map<String, String> shared = Map.of("REDIS_URL", RedisTestContainer.url(REDIS), "REDIS_KEY_PREFIX", PREFIX,
                "WORKER_HEARTBEAT_INTERVAL", "1s");
        worker = AppProcess.start(WORKER, "rrunner.workerJar", Env.merge(shared, Map.of(
                "WORKER_PORT", Integer.toString(Env.freePort()), "WORKER_ID", WORKER, "WORKER_CONCURRENCY", "2",
                "WORKER_MAX_SESSIONS", "2", "RUNNER_POOL_SIZE", "0")));
        gateway = AppProcess.start("gateway", "rrunner.gatewayJar", Env.merge(shared, Map.of(
                "PORT", Integer.toString(port), "RUNNER_TOKEN", TOKEN)));
        probe = new QueueProbe(RedisTestContainer.url(REDIS), PREFIX);
        await().atMost(Duration.ofSeconds(90)).ignoreExceptions()
                .failFast(() -> !gateway.isAlive() || !worker.isAlive())
                .until(() -> http.getWithToken("/queue").body().contains(WORKER));
    }

    @AfterAll
    static void stopAll() throws InterruptedException {
        if (probe != null) {
            probe.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        if (worker != null) {
            worker.close();
        }
    }

    @Test
    void listsItsToolsWithInputSchemas() {
        try (McpSyncClient client = client(TOKEN, List.of())) {
            List<McpSchema.Tool> tools = client.listTools().tools();

            assertThat(tools).extracting(McpSchema.Tool::name).containsExactlyInAnyOrder("run_r",
                    "list_environments", "describe_environment", "create_session", "exec_in_session",
                    "close_session", "upload_file", "read_file", "list_files");
            McpSchema.Tool runR = tools.stream().filter(tool -> tool.name().equals("run_r")).findFirst().orElseThrow();
            assertThat(runR.inputSchema().get("required")).isEqualTo(List.of("script"));
            assertThat(((Map<?, ?>) runR.inputSchema().get("properties")).keySet().stream().map(String::valueOf))
                    .contains("script", "environment", "limits", "files");
            assertThat(runR.description()).contains("image");
            tools.forEach(tool -> System.out.println("[mcp transcript] tool " + tool.name() + ": "
                    + tool.description().lines().findFirst().orElse("")));
        }
    }

    @Test
    void runRAnswersStdoutAsText() {
        try (McpSyncClient client = client(TOKEN, List.of())) {
            CallToolResult result = runR(client, Map.of("script", "cat(\"hi\")"));

            assertThat(result.isError()).isFalse();
            assertThat(texts(result)).anySatisfy(text -> assertThat(text).isEqualTo("stdout:\nhi"));
        }
    }

    @Test
    void aPlotComesBackAsAPngImage() {
        try (McpSyncClient client = client(TOKEN, List.of())) {
            CallToolResult result = runR(client, Map.of("script",
                    "png('plot.png'); plot(1:10, main = 'squares'); invisible(dev.off()); cat('plotted')"));

            McpSchema.ImageContent image = result.content().stream()
                    .filter(McpSchema.ImageContent.class::isInstance).map(McpSchema.ImageContent.class::cast)
                    .findFirst().orElseThrow();
            byte[] bytes = Base64.getDecoder().decode(image.data());
            assertThat(image.mimeType()).isEqualTo("image/png");
            assertThat(bytes).startsWith(PNG_SIGNATURE);
            System.out.println("[mcp transcript] run_r plot -> " + texts(result) + " + image " + image.mimeType()
                    + " (" + bytes.length + " bytes, starts " + new String(bytes, 1, 3) + ")");
        }
    }

    @Test
    void aFailingScriptIsAToolErrorCarryingStderr() {
        try (McpSyncClient client = client(TOKEN, List.of())) {
            CallToolResult result = runR(client, Map.of("script", "stop(\"boom\")"));

            assertThat(result.isError()).isTrue();
            assertThat(String.join("\n", texts(result))).contains("exit code 1").contains("stderr:").contains("boom");
        }
    }

    @Test
    void aScriptPastItsTimeoutIsAToolErrorSayingSo() {
        try (McpSyncClient client = client(TOKEN, List.of())) {
            CallToolResult result = runR(client, Map.of("script", "Sys.sleep(60)",
                    "limits", Map.of("timeout_seconds", 2)));

            assertThat(result.isError()).isTrue();
            assertThat(String.join("\n", texts(result))).contains("timed out").contains("2 s");
        }
    }

    @Test
    void badInputIsAToolErrorWithTheHttpApisDetail() {
        try (McpSyncClient client = client(TOKEN, List.of())) {
            CallToolResult result = runR(client, Map.of("script", "1", "environment", "no-such-env"));

            assertThat(result.isError()).isTrue();
            assertThat(String.join("\n", texts(result))).contains("no-such-env").contains("HTTP 4");
        }
    }

    @Test
    void aWrongTokenIsRejectedBeforeAnyToolRuns() throws Exception {
        String marker = "wrong-token-" + System.nanoTime();
        try (McpSyncClient client = client("not-the-token", List.of())) {
            assertThatThrownBy(client::initialize).isNotNull();
        }
        HttpResponse<String> call = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(baseUrl
                        + "/mcp"))
                .header("Authorization", "Bearer not-the-token")
                .header("Accept", "application/json, text/event-stream")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\","
                        + "\"params\":{\"name\":\"run_r\",\"arguments\":{\"script\":\"cat('" + marker + "')\"}}}"))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(call.statusCode()).isEqualTo(401);
        assertThat(call.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("application/problem+json"));
        assertThat(probe.jobIds()).map(probe::find)
                .noneSatisfy(job -> assertThat(job.spec().script()).contains(marker));
    }

    @Test
    void progressNotificationsCarryOutputLinesBeforeTheResult() {
        List<String> progress = new CopyOnWriteArrayList<>();
        try (McpSyncClient client = client(TOKEN, List.of(notice -> progress.add(notice.message())))) {
            CallToolResult result = client.callTool(McpSchema.CallToolRequest.builder().name("run_r")
                    .arguments(Map.of("script", "for (i in 1:3) { cat('line', i, '\\n'); flush(stdout()); "
                            + "Sys.sleep(1) }"))
                    .progressToken("progress-1").build());
            List<String> seenBeforeResult = List.copyOf(progress);

            assertThat(result.isError()).isFalse();
            assertThat(String.join("", seenBeforeResult)).contains("line 1").contains("line 2").contains("line 3");
        }
    }

    /** The SDK's client has no cancel call, so this drives its transport: a request, then notifications/cancelled. */
    @Test
    void aCancelStopsTheJob() {
        List<McpSchema.JSONRPCMessage> received = new CopyOnWriteArrayList<>();
        HttpClientStreamableHttpTransport transport = transport(TOKEN);
        transport.connect(messages -> messages.doOnNext(received::add).then(Mono.empty())).block();
        try {
            transport.sendMessage(new McpSchema.JSONRPCRequest("initialize", "init-1", Map.of(
                    "protocolVersion", "2025-06-18", "capabilities", Map.of(),
                    "clientInfo", Map.of("name", "cancel-test", "version", "1")))).block();
            await().atMost(SETTLE).until(() -> response(received, "init-1") != null);
            transport.sendMessage(new McpSchema.JSONRPCNotification("notifications/initialized", null)).block();

            transport.sendMessage(new McpSchema.JSONRPCRequest("tools/call", "call-1", Map.of("name", "run_r",
                    "arguments", Map.of("script", "cat('started\\n'); flush(stdout()); Sys.sleep(120)"),
                    "_meta", Map.of("progressToken", "cancel-progress")))).subscribe();
            await().atMost(SETTLE).until(() -> received.stream().anyMatch(message ->
                    message instanceof McpSchema.JSONRPCNotification notice
                            && notice.method().equals("notifications/progress")));
            transport.sendMessage(new McpSchema.JSONRPCNotification("notifications/cancelled",
                    Map.of("requestId", "call-1", "reason", "the user changed their mind"))).block();

            McpSchema.JSONRPCResponse answer = await().atMost(SETTLE)
                    .until(() -> response(received, "call-1"), response -> response != null);
            Matcher job = JOB_ID.matcher(String.valueOf(answer.result()));
            assertThat(job.find()).isTrue();
            assertThat(String.valueOf(answer.result())).contains("cancelled");
            assertThat(probe.find(new JobId(job.group(1))).state()).isEqualTo(JobState.CANCELLED);
        } finally {
            transport.closeGracefully().block();
        }
    }

    @Test
    void aSessionKeepsAnObjectBetweenExecsUntilClosed() {
        try (McpSyncClient client = client(TOKEN, List.of())) {
            CallToolResult created = client.callTool(new McpSchema.CallToolRequest("create_session", Map.of()));
            assertThat(created.isError()).isFalse();
            String id = Http.JSON.readTree(texts(created).get(0)).path("id").stringValue();

            CallToolResult first = exec(client, id, "x <- 41");
            CallToolResult second = exec(client, id, "cat(x + 1)");
            CallToolResult closed = client.callTool(new McpSchema.CallToolRequest("close_session",
                    Map.of("session_id", id)));
            CallToolResult afterClose = exec(client, id, "cat(x)");

            assertThat(first.isError()).isFalse();
            assertThat(texts(second)).contains("stdout:\n42");
            assertThat(closed.isError()).isFalse();
            assertThat(afterClose.isError()).isTrue();
            assertThat(String.join("\n", texts(afterClose))).contains("HTTP 410");
        }
    }

    @Test
    void filesGoInAndComeOutOfASession() {
        try (McpSyncClient client = client(TOKEN, List.of())) {
            CallToolResult created = client.callTool(new McpSchema.CallToolRequest("create_session", Map.of()));
            String id = Http.JSON.readTree(texts(created).get(0)).path("id").stringValue();
            try {
                CallToolResult uploaded = client.callTool(new McpSchema.CallToolRequest("upload_file",
                        Map.of("session_id", id, "path", "data/in.csv", "content", "x,y\n1,2\n3,4\n")));
                CallToolResult read = exec(client, id, "d <- read.csv('data/in.csv'); cat(sum(d$y)); "
                        + "png('plot.png'); plot(d$x, d$y); invisible(dev.off())");
                CallToolResult plot = client.callTool(new McpSchema.CallToolRequest("read_file",
                        Map.of("session_id", id, "path", "plot.png")));
                CallToolResult listed = client.callTool(new McpSchema.CallToolRequest("list_files",
                        Map.of("session_id", id)));
                CallToolResult escaping = client.callTool(new McpSchema.CallToolRequest("upload_file",
                        Map.of("session_id", id, "path", "../x", "content", "no")));

                assertThat(uploaded.isError()).isFalse();
                assertThat(texts(read)).contains("stdout:\n6");
                McpSchema.ImageContent image = (McpSchema.ImageContent) plot.content().get(0);
                assertThat(image.mimeType()).isEqualTo("image/png");
                assertThat(Base64.getDecoder().decode(image.data())).startsWith(PNG_SIGNATURE);
                assertThat(texts(listed).get(0)).contains("\"data/in.csv\"", "\"plot.png\"");
                assertThat(escaping.isError()).isTrue();
                assertThat(String.join("\n", texts(escaping))).contains("HTTP 422", "invalid-request");
                System.out.println("[mcp transcript] list_files -> " + texts(listed).get(0));
            } finally {
                client.callTool(new McpSchema.CallToolRequest("close_session", Map.of("session_id", id)));
            }
        }
    }

    private static CallToolResult exec(McpSyncClient client, String session, String script) {
        return client.callTool(new McpSchema.CallToolRequest("exec_in_session",
                Map.of("session_id", session, "script", script)));
    }

    private static CallToolResult runR(McpSyncClient client, Map<String, Object> arguments) {
        return client.callTool(new McpSchema.CallToolRequest("run_r", arguments));
    }

    private static McpSchema.JSONRPCResponse response(List<McpSchema.JSONRPCMessage> received, String id) {
        return received.stream().filter(McpSchema.JSONRPCResponse.class::isInstance)
                .map(McpSchema.JSONRPCResponse.class::cast).filter(response -> id.equals(response.id()))
                .findFirst().orElse(null);
    }

    private static List<String> texts(CallToolResult result) {
        return result.content().stream().filter(McpSchema.TextContent.class::isInstance)
                .map(content -> ((McpSchema.TextContent) content).text()).toList();
    }

    private static McpSyncClient client(String token,
            List<java.util.function.Consumer<McpSchema.ProgressNotification>> progress) {
        McpSyncClient client = McpClient.sync(transport(token))
                .requestTimeout(Duration.ofSeconds(120))
                .progressConsumers(progress)
                .build();
        if (TOKEN.equals(token)) {
            client.initialize();
        }
        return client;
    }

    private static HttpClientStreamableHttpTransport transport(String token) {
        return HttpClientStreamableHttpTransport.builder(baseUrl)
                .endpoint("/mcp")
                .requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + token))
                .build();
    }
}
