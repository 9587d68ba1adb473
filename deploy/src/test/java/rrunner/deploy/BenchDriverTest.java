package rrunner.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static rrunner.deploy.Yamls.at;
import static rrunner.deploy.Yamls.listAt;
import static rrunner.deploy.Yamls.map;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bench/driver.py's paced phase (a plain request, a 1 MB input file, non-default limits) against a stand-in gateway
 * on loopback: what it sends, what it takes as applied, what it reports. The real service is measured by
 * bench/run.sh; this keeps the driver's requests in line with the API without starting it.
 */
class BenchDriverTest {

    private static final String TOKEN = "bench-token";

    @TempDir
    Path tempDir;

    private final List<Map<String, Object>> received = Collections.synchronizedList(new ArrayList<>());
    private HttpServer gateway;

    @AfterEach
    void stopTheGateway() {
        if (gateway != null) {
            gateway.stop(0);
        }
    }

    @Test
    void sendsEachKindInTurnAndReportsItsLatencyAsARatioToThePlainOne() {
        startGateway(true);

        Map<String, Object> result = runCompare(0);

        List<Object> phases = listAt(result, "phases");
        assertThat(phases).extracting(p -> map(p).get("script")).containsExactly("plain", "input-1mb", "limits");
        for (Object phase : phases) {
            assertThat(map(phase)).as("%s", map(phase).get("script"))
                    .containsEntry("errors", 0).containsEntry("ok", 2).containsEntry("warm_acquires", 2)
                    .containsKey("ratio_p95");
            assertThat(at(phase, "server_timing_p50_ms.run")).isEqualTo(20.0);
        }
        assertThat(map(phases.get(0))).containsEntry("ratio_p50", 1.0);
        // the order rotates each round, so no kind always follows the same one
        assertThat(received).extracting(BenchDriverTest::kind)
                .containsExactly("plain", "input-1mb", "limits", "input-1mb", "limits", "plain");
        Bash.Result report = report("--strict");
        assertThat(report.exitCode()).as(report.stderr()).isZero();
        assertThat(report.stdout()).contains("as ratios to plain").containsPattern("input-1mb .* p50 \\d+ ms \\(\\d+\\.\\d\\dx\\)");
    }

    @Test
    void sendsTheFileAndTheLimitsAsTheApiTakesThem() {
        startGateway(true);

        runCompare(0);

        Map<String, Object> withFile = received.stream().filter(r -> kind(r).equals("input-1mb")).findFirst().orElseThrow();
        Map<String, Object> file = map(listAt(withFile, "files").get(0));
        assertThat(file).containsEntry("path", "data/in.csv").containsEntry("encoding", "utf-8");
        assertThat(((String) file.get("content")).getBytes(StandardCharsets.UTF_8).length).isBetween(990_000, 1_000_000);
        assertThat((String) file.get("content")).startsWith("id,").endsWith("\n");
        Map<String, Object> withLimits = received.stream().filter(r -> kind(r).equals("limits")).findFirst().orElseThrow();
        assertThat(map(withLimits.get("limits")))
                .containsEntry("timeout_seconds", 60).containsEntry("memory_mb", 1024).containsEntry("cpus", 1.5);
        assertThat(received).allSatisfy(r -> assertThat(r).containsEntry("authorization", "Bearer " + TOKEN));
    }

    @Test
    void countsAServerThatIgnoredTheFilesOrTheLimitsAsErrors() {
        startGateway(false);

        Map<String, Object> result = runCompare(0);

        assertThat(listAt(result, "phases")).extracting(p -> map(p).get("script") + "=" + map(p).get("errors"))
                .containsExactly("plain=0", "input-1mb=2", "limits=2");
        Bash.Result report = report("--strict");
        assertThat(report.exitCode()).isEqualTo(1);
        assertThat(report.stderr()).contains("4 request(s) failed");
    }

    /**
     * A gateway that runs nothing: it answers what R would print for the driver's scripts and, when {@code applies},
     * the provenance of what it was sent, as a server that knows input files and limits does.
     */
    private void startGateway(boolean applies) {
        try {
            gateway = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        gateway.createContext("/run", exchange -> {
            Map<String, Object> request = Yamls.load(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            request.put("authorization", exchange.getRequestHeaders().getFirst("Authorization"));
            received.add(request);
            answer(exchange, request, applies);
        });
        gateway.start();
    }

    private static void answer(HttpExchange exchange, Map<String, Object> request, boolean applies) throws IOException {
        List<Object> files = listAt(request, "files");
        String stdout = "1";
        String inputFiles = "";
        if (!files.isEmpty()) {
            byte[] content = ((String) at(files.get(0), "content")).getBytes(StandardCharsets.UTF_8);
            stdout = Integer.toString(content.length);
            inputFiles = "{\"path\": \"" + at(files.get(0), "path") + "\", \"size\": " + content.length
                    + ", \"sha256\": \"" + sha256(content) + "\"}";
        }
        Map<String, Object> asked = request.get("limits") == null ? Map.of() : map(request.get("limits"));
        String limits = "{\"timeout_seconds\": " + asked.getOrDefault("timeout_seconds", 30)
                + ", \"memory_mb\": " + asked.getOrDefault("memory_mb", 512)
                + ", \"cpus\": " + asked.getOrDefault("cpus", 1.0) + "}";
        String provenance = applies ? ", \"provenance\": {\"environment\": \"r-base\", \"image_id\": \"sha256:0\", "
                + "\"r_version\": \"R version 4.2.2\", \"limits\": " + limits + ", \"input_files\": [" + inputFiles + "]}"
                : "";
        byte[] body = ("{\"success\": true, \"exit_code\": 0, \"stdout\": \"" + stdout + "\", \"stderr\": \"\", "
                + "\"runtime_stderr\": \"\", \"artifacts\": []" + provenance + "}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.getResponseHeaders().add("Server-Timing",
                "queue;dur=1.0, acquire;dur=0.1;desc=\"warm\", run;dur=20.0, collect;dur=30.0, total;dur=51.1");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private Map<String, Object> runCompare(double pause) {
        Path out = tempDir.resolve("compare.json");
        Bash.Result run = python("compare", "--label", "test", "--url", "http://127.0.0.1:" + gateway.getAddress().getPort(),
                "--token", TOKEN, "--requests", "2", "--warmup", "0", "--pause", Double.toString(pause),
                "--background", "0", "--out", out.toString());
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        try {
            return Yamls.load(Files.readString(out));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The report over the compare phase's part, as bench/run.sh ends. */
    private Bash.Result report(String... options) {
        List<String> arguments = new ArrayList<>(List.of("report", "--json", tempDir.resolve("merged.json").toString()));
        arguments.addAll(List.of(options));
        arguments.add(tempDir.resolve("compare.json").toString());
        return python(arguments.toArray(String[]::new));
    }

    private Bash.Result python(String... arguments) {
        List<String> command = new ArrayList<>(List.of("python3", RepositoryFiles.path("bench/driver.py").toString()));
        command.addAll(List.of(arguments));
        try {
            Path stdout = Files.createTempFile(tempDir, "stdout", ".txt");
            Path stderr = Files.createTempFile(tempDir, "stderr", ".txt");
            Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
                    .start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("driver.py did not finish within 60 s: " + command);
            }
            return new Bash.Result(process.exitValue(), Files.readString(stdout), Files.readString(stderr));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Which of the driver's kinds a request is, by what it carries besides its script. */
    private static String kind(Map<String, Object> request) {
        if (request.containsKey("files")) {
            return "input-1mb";
        }
        return request.containsKey("limits") ? "limits" : "plain";
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
