package rrunner.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/** The few HTTP calls the end-to-end tests make, as a caller would make them. */
final class Http {

    static final JsonMapper JSON = JsonMapper.builder().build();
    /**
     * Longer than any answer the gateway may take under these tests' settings: the chaos test's queue wait (120 s)
     * plus the run timeout and result grace (30 s each) is 180 s, which a caller timing out at exactly that bound
     * could miss on a loaded machine.
     */
    private static final Duration RUN_ANSWER_TIMEOUT = Duration.ofSeconds(300);
    private static final HttpClient PLAIN = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String baseUrl;
    private final String token;
    private final HttpClient client;

    Http(String baseUrl, String token) {
        this(baseUrl, token, PLAIN);
    }

    /** Through a client of the caller's own, such as one trusting a private CA. */
    Http(String baseUrl, String token, HttpClient client) {
        this.baseUrl = baseUrl;
        this.token = token;
        this.client = client;
    }

    HttpResponse<String> run(String script) throws Exception {
        return run(script, token);
    }

    HttpResponse<String> run(String script, String bearer) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/run"))
                .header("Authorization", "Bearer " + bearer)
                .header("Content-Type", "application/json")
                .timeout(RUN_ANSWER_TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("script", script))))
                .build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** A POST of a JSON body with the bearer token. */
    HttpResponse<String> post(String path, String json) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(RUN_ANSWER_TIMEOUT)
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A PUT of raw bytes with the bearer token. */
    HttpResponse<String> put(String path, byte[] body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A GET with the bearer token whose answer is kept as bytes. */
    HttpResponse<byte[]> getBytes(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** A DELETE with the bearer token. */
    HttpResponse<String> delete(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A GET with the bearer token, as {@code /queue} needs. */
    HttpResponse<String> getWithToken(String path) throws Exception {
        return getWithToken(path, Duration.ofSeconds(10));
    }

    /** A GET with the bearer token that may take that long, such as a job's event stream to its end. */
    HttpResponse<String> getWithToken(String path, Duration timeout) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(timeout)
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
