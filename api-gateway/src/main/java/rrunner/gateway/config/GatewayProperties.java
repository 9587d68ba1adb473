package rrunner.gateway.config;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The gateway's settings. Defaults live in {@code application.yaml}, next to the environment names.
 *
 * @param token {@code RUNNER_TOKEN}: the bearer token of the tenant {@code default}; required unless
 *     {@code RUNNER_TOKENS_FILE} is set
 * @param tokensFile {@code RUNNER_TOKENS_FILE}: the YAML file of tenants and their token hashes; blank for none
 * @param webhookSecrets {@code WEBHOOK_SECRETS}: the tenant {@code default}'s webhook signing secrets
 *     ({@code whsec_...}, comma-separated, at most two), unless the tokens file gives it its own; none: it may not
 *     ask for webhooks
 * @param tokensReloadInterval {@code RUNNER_TOKENS_RELOAD_INTERVAL}: how often the tokens file is checked for
 *     changes, which take effect without a restart
 * @param publicBaseUrl {@code PUBLIC_BASE_URL}: the server URL in the OpenAPI document; a bare host gets https
 * @param maxScriptBytes {@code MAX_SCRIPT_BYTES}: largest script accepted, in UTF-8 bytes
 * @param maxInputFiles {@code MAX_INPUT_FILES}: most input files one request may send; 0 refuses any
 * @param maxInputFileBytes {@code MAX_INPUT_FILE_BYTES}: largest input file, decoded
 * @param maxInputBytes {@code MAX_INPUT_BYTES}: most all input files of a request may take together, decoded;
 *     keep it below the workers' {@code RUNNER_WORKSPACE_SIZE}, which must hold them and what the script writes
 * @param maxArtifactCount {@code MAX_ARTIFACT_COUNT}: most files returned per run
 * @param maxArtifactBytes {@code MAX_ARTIFACT_BYTES}: largest file returned
 * @param maxResultBytes {@code MAX_RESULT_BYTES}: most a whole result may take, JSON-encoded; artifacts that do not
 *     fit are listed as skipped
 * @param queueTimeoutSeconds {@code RUN_QUEUE_TIMEOUT_SECONDS}: how long a {@code POST /run} waits for a worker
 *     to pick its job up before giving up with 503
 * @param completionGraceSeconds {@code RUN_RESULT_GRACE_SECONDS}: extra wait after the run timeout for
 *     container start, artifact collection and a retry before giving up with 504
 * @param streamKeepAlive {@code STREAM_KEEP_ALIVE_INTERVAL}: how often an event stream (NDJSON or SSE) sends a
 *     keep-alive, so idle proxies keep the connection and a vanished client is noticed, and checks that its job
 *     still exists
 */
@Validated
@ConfigurationProperties("rrunner.gateway")
public record GatewayProperties(
        String token,
        String tokensFile,
        List<String> webhookSecrets,
        @NotNull Duration tokensReloadInterval,
        @NotBlank(message = "PUBLIC_BASE_URL must not be blank") String publicBaseUrl,
        // why the cap: the request body limit is 6 x this (JSON escaping) and must fit a byte array
        @Min(value = 1, message = "MAX_SCRIPT_BYTES must be at least 1")
        @Max(value = 100_000_000, message = "MAX_SCRIPT_BYTES must be at most 100000000")
        int maxScriptBytes,
        // why the caps: the request body limit adds room for each file and the base64 of them all to an int
        @Min(value = 0, message = "MAX_INPUT_FILES must not be negative")
        @Max(value = 1000, message = "MAX_INPUT_FILES must be at most 1000")
        int maxInputFiles,
        @Min(value = 0, message = "MAX_INPUT_FILE_BYTES must not be negative") int maxInputFileBytes,
        @Min(value = 0, message = "MAX_INPUT_BYTES must not be negative")
        @Max(value = 500_000_000, message = "MAX_INPUT_BYTES must be at most 500000000")
        int maxInputBytes,
        @Min(value = 0, message = "MAX_ARTIFACT_COUNT must not be negative") int maxArtifactCount,
        @Min(value = 0, message = "MAX_ARTIFACT_BYTES must not be negative") long maxArtifactBytes,
        // why the floor: stdout and stderr always stay in a result, so a cap below them would not hold
        @Min(value = 1_000_000, message = "MAX_RESULT_BYTES must be at least 1000000") long maxResultBytes,
        @Min(value = 1, message = "RUN_QUEUE_TIMEOUT_SECONDS must be at least 1") int queueTimeoutSeconds,
        @Min(value = 0, message = "RUN_RESULT_GRACE_SECONDS must not be negative") int completionGraceSeconds,
        @NotNull Duration streamKeepAlive) {

    /** Room for the JSON around the script: the braces, the keys, environment, limits and whitespace. */
    private static final long JSON_ENVELOPE_BYTES = 4096;
    /** One script byte becomes at most six body bytes, as the six-character escape of a control character. */
    private static final long JSON_ESCAPE_FACTOR = 6;
    /** Room for one input file's path, keys and punctuation: a path is at most 1024 plain characters. */
    private static final long FILE_ENVELOPE_BYTES = 2048;

    public GatewayProperties {
        publicBaseUrl = PublicBaseUrl.normalize(publicBaseUrl);
        token = token == null ? "" : token;
        tokensFile = tokensFile == null ? "" : tokensFile.strip();
        webhookSecrets = webhookSecrets == null ? List.of()
                : webhookSecrets.stream().map(String::strip).filter(secret -> !secret.isEmpty()).toList();
    }

    @AssertTrue(message = "RUNNER_TOKEN or RUNNER_TOKENS_FILE must be set: RUNNER_TOKEN is the bearer token callers "
            + "send to POST /run, RUNNER_TOKENS_FILE lists tenants and their token hashes")
    public boolean isTokenOrTokensFileSet() {
        return !token.isBlank() || !tokensFile.isBlank();
    }

    @AssertTrue(message = "RUNNER_TOKENS_RELOAD_INTERVAL must be positive")
    public boolean isTokensReloadIntervalPositive() {
        return tokensReloadInterval == null || !(tokensReloadInterval.isNegative() || tokensReloadInterval.isZero());
    }

    @AssertTrue(message = "PUBLIC_BASE_URL must be an http(s) URL or a bare host name")
    public boolean isPublicBaseUrlValid() {
        return publicBaseUrl == null || publicBaseUrl.isBlank() || PublicBaseUrl.isValid(publicBaseUrl);
    }

    @AssertTrue(message = "MAX_INPUT_FILE_BYTES must not be above MAX_INPUT_BYTES")
    public boolean isInputFileWithinInputBudget() {
        return maxInputFileBytes <= maxInputBytes;
    }

    @AssertTrue(message = "STREAM_KEEP_ALIVE_INTERVAL must be positive")
    public boolean isStreamKeepAlivePositive() {
        return streamKeepAlive == null || !(streamKeepAlive.isNegative() || streamKeepAlive.isZero());
    }

    /**
     * Largest {@code POST /run} body read before answering 413: a script of {@code MAX_SCRIPT_BYTES} at its worst
     * escaping, plus a full input budget sent as base64 (text with many control characters fits it only as base64).
     * At most 6 x 100 MB + 4/3 x 500 MB + 1000 x 2 KB, within an int.
     */
    public int maxRequestBytes() {
        long base64Inputs = 4 * ((maxInputBytes + 2L) / 3);
        return Math.toIntExact(JSON_ESCAPE_FACTOR * maxScriptBytes + JSON_ENVELOPE_BYTES + base64Inputs
                + FILE_ENVELOPE_BYTES * maxInputFiles);
    }

    public Duration queueTimeout() {
        return Duration.ofSeconds(queueTimeoutSeconds);
    }

    /** How long a job with this timeout that a worker has claimed may take before the gateway stops waiting. */
    public Duration runCompletionTimeout(int timeoutSeconds) {
        return Duration.ofSeconds((long) timeoutSeconds + completionGraceSeconds);
    }

    /**
     * Never prints the token or the webhook secrets: the generated record toString would put them in logs and failure
     * reports.
     */
    @Override
    public String toString() {
        return "GatewayProperties[token=****, tokensFile=" + tokensFile + ", webhookSecrets=" + webhookSecrets.size()
                + ", tokensReloadInterval=" + tokensReloadInterval + ", publicBaseUrl=" + publicBaseUrl
                + ", maxScriptBytes=" + maxScriptBytes + ", maxInputFiles=" + maxInputFiles
                + ", maxInputFileBytes=" + maxInputFileBytes + ", maxInputBytes=" + maxInputBytes
                + ", maxArtifactCount=" + maxArtifactCount + ", maxArtifactBytes=" + maxArtifactBytes
                + ", maxResultBytes=" + maxResultBytes
                + ", queueTimeoutSeconds=" + queueTimeoutSeconds
                + ", completionGraceSeconds=" + completionGraceSeconds + ", streamKeepAlive=" + streamKeepAlive + "]";
    }
}
